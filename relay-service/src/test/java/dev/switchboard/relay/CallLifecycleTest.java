package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.config.Settings;
import dev.switchboard.relay.call.SessionRegistry;
import dev.switchboard.relay.local.LocalStack;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How calls end, and that ending them leaves nothing behind. */
@QuarkusTest
class CallLifecycleTest {

    @Inject
    Settings settings;
    @Inject
    LocalStack local;
    @Inject
    CallStore calls;
    @Inject
    SessionRegistry sessions;
    @Inject
    RealtimeConnector connector;
    @Inject
    OpenConnections twilioSockets;
    @TestHTTPResource("/")
    URI http;

    RelayHarness harness;

    @BeforeEach
    void setUp() {
        harness = new RelayHarness(settings, local, http);
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
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
    void aDroppedRealtimeSessionEndsTheCallCleanlyAndSaysWhy() {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello.", 300)), 4.0);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting");
        call.session().expire();
        int code = call.caller().awaitClose(Duration.ofSeconds(3));
        assertEquals(1011, code, "the relay ends the stream, which ends a <Connect><Stream> call");
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

    private static java.util.Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("[0-9]+", "#"), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private String counts() {
        return "sessions=" + sessions.size() + " relayRealtime=" + connector.openSockets() + " simRealtime="
                + harness.realtime().openConnections() + " twilio=" + twilioSockets.listAll().size();
    }
}
