package dev.switchboard.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A relay that has begun to stop takes no new call: the stream is refused before anything is claimed,
 * so the call's record stays as the voice webhook wrote it, free for another relay. Its own Quarkus
 * instance (a profile of its own), since a draining relay stays draining.
 */
@QuarkusTest
@TestProfile(DrainTest.Draining.class)
class DrainTest extends RelayTestBase {

    /** Same settings as the other tests; a profile of its own only so this relay is not shared. */
    public static class Draining implements QuarkusTestProfile {
    }

    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdown;

    @Test
    void aDrainingRelayRefusesNewStreamsBeforeClaimingThem() throws Exception {
        shutdown.fire(new ShutdownDelayInitiatedEvent()); // what SIGTERM starts; no call is live, so it returns at once
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(http.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, health.statusCode());

        String callSid = RelayHarness.newCallSid();
        harness.twilioRest().registerCall(callSid, "+15551230000", "+15559870000", "inbound");
        HttpResponse<String> answer = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(callSid), null);
        MediaStreamCaller caller = harness.caller(callSid, 1.0).connect(harness.mediaStreamUrl(),
                ConnectStream.parse(answer.body()).parameters());
        assertEquals(1013, caller.awaitClose(Duration.ofSeconds(5)), "try again later: another relay can take it");

        CallRecord call = calls.find(callSid).orElseThrow();
        assertTrue(call.streamTokenUsedAt().isEmpty(), "the stream token is not spent");
        assertTrue(call.relayAddress().isEmpty(), "no relay claimed the call");
        assertTrue(call.outcome().isEmpty(), "the call is not over");
        assertTrue(harness.realtime().connections().isEmpty(), "no Realtime session was opened");
    }
}
