package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.Outcome;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A Realtime endpoint that accepts the TCP connection and never finishes the WebSocket handshake: the
 * caller must not sit in silence. Within the start timeout Twilio is given the profile's apology and
 * fallback number, and the call ends with its reason on the record.
 */
@QuarkusTest
@TestProfile(StalledRealtimeTest.Stalled.class)
class StalledRealtimeTest extends RelayTestBase {

    /** Accepts connections and says nothing, ever. */
    static final ServerSocket STALLED = stalledServer();
    static final List<Socket> HELD = new CopyOnWriteArrayList<>();

    public static class Stalled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("OPENAI_API_KEY", "sk-test-stalled",
                    "OPENAI_REALTIME_URL", "ws://127.0.0.1:" + STALLED.getLocalPort() + "/v1/realtime?model=gpt-realtime",
                    "switchboard.realtime.start-timeout", "1s");
        }
    }

    static ServerSocket stalledServer() {
        try {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        HELD.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "stalled-realtime");
            accept.setDaemon(true);
            accept.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeStalledServer() throws IOException {
        STALLED.close();
        for (Socket s : HELD) {
            s.close();
        }
    }

    @Test
    void aStalledEndpointGivesTheCallerAnApologyAndTheFallbackNumber() {
        String callSid = RelayHarness.newCallSid();
        harness.twilioRest().registerCall(callSid, "+15551230000", "+15551110000", "inbound");
        HttpResponse<String> answer = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(callSid, "+15551110000"), null);
        long started = System.nanoTime();
        MediaStreamCaller caller = harness.caller(callSid, 1.0).connect(harness.mediaStreamUrl(),
                ConnectStream.parse(answer.body()).parameters());

        await(Duration.ofSeconds(5), () -> harness.twilioRest().requestsFor(callSid).stream()
                .anyMatch(r -> r.form().containsKey("Twiml")), "Twilio to be given the fallback TwiML");
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waitedMs < 4000, "the caller waited " + waitedMs + " ms");
        String twiml = harness.twilioRest().requestsFor(callSid).stream().filter(r -> r.form().containsKey("Twiml"))
                .findFirst().orElseThrow().form().get("Twiml");
        assertTrue(twiml.contains("<Say>Sorry, our assistant is unavailable. Connecting you to the front desk.</Say>"), twiml);
        assertTrue(twiml.contains("<Dial>+15550109999</Dial>"), twiml);
        assertTrue(caller.awaitClose(Duration.ofSeconds(5)) > 0, "the stream is closed");
        await(Duration.ofSeconds(5), () -> calls.find(callSid).orElseThrow().outcome().isPresent(), "the outcome");
        Outcome outcome = calls.find(callSid).orElseThrow().outcome().orElseThrow();
        assertEquals("failed", outcome.kind());
        assertTrue(outcome.reason().contains("realtime connect failed"), outcome.reason());
    }
}
