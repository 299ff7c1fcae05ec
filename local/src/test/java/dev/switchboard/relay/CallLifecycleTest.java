package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.relay.call.SessionRegistry;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How calls end, and that ending them leaves nothing behind. */
@QuarkusTest
class CallLifecycleTest extends RelayTestBase {

    @Inject
    SessionRegistry sessions;
    @Inject
    RealtimeConnector connector;
    @Inject
    OpenConnections twilioSockets;

    @BeforeEach
    void setUp() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
    }

    @Test
    void callersWhoHangUpWhileTheirStreamIsClaimedLeaveCallsWithAnOutcome() {
        List<String> callSids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String callSid = RelayHarness.newCallSid();
            harness.twilioRest().registerCall(callSid, "+15551230000", "+15559870000", "inbound");
            HttpResponse<String> answer = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(callSid), null);
            MediaStreamCaller caller = harness.caller(callSid, 1.0).connect(harness.mediaStreamUrl(),
                    ConnectStream.parse(answer.body()).parameters());
            caller.hangUp(); // start, then stop at once: the claim is still being written
            callSids.add(callSid);
        }
        for (String callSid : callSids) {
            await(Duration.ofSeconds(5), () -> calls.find(callSid).orElseThrow().outcome().isPresent(), "an outcome for " + callSid);
            assertEquals("completed", calls.find(callSid).orElseThrow().outcome().get().kind());
        }
        await(Duration.ofSeconds(5), () -> sessions.size() == 0, "no session left behind");
    }

    @Test
    void twilioStopClosesTheRealtimeSocketWithinASecond() {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("A greeting that is still playing.", 5000)), 1.0);
        await(Duration.ofSeconds(5), () -> !call.caller().received("media").isEmpty(), "agent audio");
        int open = harness.realtime().openConnections();
        long stoppedAt = System.nanoTime();
        call.caller().hangUp();
        await(Duration.ofSeconds(1), () -> harness.realtime().openConnections() == open - 1, "the Realtime socket to close");
        assertTrue(System.nanoTime() - stoppedAt < 1_000_000_000L);
        await(Duration.ofSeconds(2), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        assertEquals("completed", calls.find(call.callSid()).orElseThrow().outcome().orElseThrow().kind());
    }

    @Test
    void aDroppedRealtimeSessionIsReplacedAndTheConversationGoesOn() throws Exception {
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello, how can I help?", 300),
                Reply.speak("Your order ships Monday.", 400).heard("When does my order ship?")), 4.0);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting");
        call.caller().play(Audio.concat(Audio.speechLike(500, 81),
                Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 700, "the answer");
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().transcript().size() >= 3, "the transcript");

        int sessionsBefore = harness.realtime().connections().size();
        harness.realtime().script(() -> List.of(Reply.speak("Anything else?", 300).heard("Thanks.")));
        call.session().expire(); // session_expired, close 1001: what the real service does at 60 minutes
        await(Duration.ofSeconds(5), () -> harness.realtime().connections().size() == sessionsBefore + 1, "a new session");
        var renewed = harness.realtime().connections().get(harness.realtime().connections().size() - 1);
        await(Duration.ofSeconds(5), () -> harness.realtime().events("conversation.item.create").stream()
                .anyMatch(e -> e.connection() == renewed.id()), "the conversation restored");
        List<String> restored = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == renewed.id())
                .map(e -> e.json().path("item").path("role").asText() + ": " + e.json().path("item").path("content").path(0).path("text").asText())
                .toList();
        assertTrue(restored.contains("user: When does my order ship?"), restored.toString());
        assertTrue(restored.contains("assistant: Your order ships Monday."), restored.toString());

        call.caller().play(Audio.concat(Audio.speechLike(500, 82),
                Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 1000, "the new session's answer");
        assertTrue(!call.caller().isClosed(), "the caller never noticed more than a gap");
        assertTrue(calls.find(call.callSid()).orElseThrow().outcome().isEmpty());
        assertEquals(List.of(), harness.realtime().rejected());
        call.caller().hangUp();
    }

    @Test
    void aSessionThatKeepsDroppingEndsTheCallWithAnApologyAndSaysWhy() {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello.", 300)), 4.0);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting");
        for (int drop = 0; drop < 3; drop++) {
            int before = harness.realtime().connections().size();
            harness.realtime().connections().get(before - 1).expire();
            await(Duration.ofSeconds(5), () -> harness.realtime().connections().size() == before + 1, "reconnect " + before);
        }
        harness.realtime().connections().get(harness.realtime().connections().size() - 1).expire();
        call.caller().awaitClose(Duration.ofSeconds(5)); // throws if the stream stays open
        // not silence then a dead line: Twilio says the profile's apology and (with no fallback number) hangs up
        String twiml = harness.twilioRest().requestsFor(call.callSid()).stream().filter(r -> r.form().containsKey("Twiml"))
                .map(r -> r.form().get("Twiml")).findFirst().orElseThrow(() -> new AssertionError("no fallback TwiML"));
        assertTrue(twiml.contains("<Say>We") && twiml.contains("take your call right now") && twiml.contains("<Hangup"), twiml);
        await(Duration.ofSeconds(3), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        CallRecord record = calls.find(call.callSid()).orElseThrow();
        assertEquals("failed", record.outcome().orElseThrow().kind());
        assertTrue(record.outcome().orElseThrow().reason().contains("1001"), record.outcome().orElseThrow().reason());
        await(Duration.ofSeconds(2), () -> sessions.find(call.callSid()).isEmpty(), "the session to leave the registry");
    }

    @Test
    void aHundredSequentialCallsLeaveNoSessionSocketOrThreadBehind() {
        // warm up the pools (event loops, workers, HTTP clients) before counting threads
        for (int i = 0; i < 5; i++) {
            shortCall(i);
        }
        try {
            awaitQuiet();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + counts());
        }
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        for (int i = 0; i < 100; i++) {
            shortCall(100 + i);
        }
        awaitQuiet();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        assertEquals(0, sessions.size(), "live sessions");
        assertEquals(0, connector.openSockets(), "Realtime sockets open on the relay");
        assertEquals(0, harness.realtime().openConnections(), "Realtime sockets open at the server");
        assertEquals(0, twilioSockets.listAll().size(), "Twilio sockets");
        // Worker pools may grow by a few threads under load; a leak grows with the number of calls.
        assertTrue(threadsAfter - threadsBefore <= 8, "threads before " + threadsBefore + ", after " + threadsAfter
                + ": " + threadNames());
        assertEquals(List.of(), harness.realtime().rejected());
    }

    private void shortCall(long seed) {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hi.", 200)), 8.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(5), () -> !caller.received("media").isEmpty(), "agent audio of call " + seed);
        if (seed % 2 == 0) {
            caller.hangUp();
        } else {
            caller.close();
        }
        caller.awaitClose(Duration.ofSeconds(5));
    }

    private void awaitQuiet() {
        await(Duration.ofSeconds(10), () -> sessions.size() == 0 && connector.openSockets() == 0
                && harness.realtime().openConnections() == 0 && twilioSockets.listAll().isEmpty(),
                "every call to wind down");
    }

    private static Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(Collectors.groupingBy(
                t -> t.getName().replaceAll("[0-9]+", "#"), TreeMap::new, Collectors.counting()));
    }

    private String counts() {
        return "sessions=" + sessions.size() + " relayRealtime=" + connector.openSockets() + " simRealtime="
                + harness.realtime().openConnections() + " twilio=" + twilioSockets.listAll().size();
    }
}
