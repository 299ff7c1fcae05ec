package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.relay.call.SessionRegistry;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A thousand calls, each ended one of six ways (caller hangs up, caller's socket drops, the agent's
 * end_call, a hang-up from call-action, a transfer, the caller hanging up while the relay replaces a
 * dropped Realtime session), eight at a time.
 * Afterwards nothing may be left: no session, no socket on either side, no stray thread, and every
 * call has an outcome.
 */
@QuarkusTest
class RandomEndingsTest extends RelayTestBase {

    static final int CALLS = 1000;
    static final int CONCURRENT = 8;

    @Inject
    SessionRegistry sessions;
    @Inject
    RealtimeConnector connector;
    @Inject
    OpenConnections twilioSockets;
    @Inject
    CallActions actions;

    enum Ending { CALLER_STOP, CALLER_DROP, END_CALL_TOOL, CALL_ACTION_HANGUP, TRANSFER, REALTIME_DROP }

    @Test
    void aThousandCallsEndedInRandomWaysLeaveNothingBehind() throws Exception {
        harness.realtime().speed(20.0);
        harness.realtime().recordAudioEvents(false);
        try {
            run(harness);
        } finally {
            harness.realtime().recordAudioEvents(true);
        }
    }

    private void run(RelayHarness harness) throws Exception {
        Random random = new Random(42);
        Map<Ending, Integer> counts = new TreeMap<>();
        List<String> sids = new ArrayList<>();
        int threadsBefore = -1;
        for (int batch = 0; batch < CALLS / CONCURRENT; batch++) {
            List<RelayHarness.Call> live = new ArrayList<>();
            List<Ending> endings = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                Ending ending = Ending.values()[random.nextInt(Ending.values().length)];
                endings.add(ending);
                counts.merge(ending, 1, Integer::sum);
                List<Reply> script = switch (ending) {
                    case END_CALL_TOOL -> List.of(Reply.speak("Hi.", 100), Reply.callFunction("end_call", "{}"), Reply.speak("Bye.", 100));
                    case TRANSFER -> List.of(Reply.speak("Hi.", 100),
                            Reply.callFunction("transfer_call", "{\"target\":\"support\"}"), Reply.speak("Connecting.", 100));
                    default -> List.of(Reply.speak("Hi.", 100), Reply.speak("Sure.", 100));
                };
                RelayHarness.Call call = harness.call(script, 20.0, "+15557770000");
                live.add(call);
                sids.add(call.callSid());
            }
            for (int i = 0; i < CONCURRENT; i++) {
                RelayHarness.Call call = live.get(i);
                await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 100, "the greeting of " + call.callSid());
                switch (endings.get(i)) {
                    case CALLER_STOP -> call.caller().hangUp();
                    case CALLER_DROP -> call.caller().close();
                    case END_CALL_TOOL, TRANSFER -> call.caller().play(Audio.concat(Audio.speechLike(200, i), Audio.silence(600)));
                    case CALL_ACTION_HANGUP -> {
                        var result = actions.handle(new CallActionRequest(call.callSid(), "hangup", null, null, "test"));
                        assertTrue(result.ok(), "call-action hangup of " + call.callSid() + ": " + result.message());
                    }
                    case REALTIME_DROP -> {
                        call.session().expire(); // the relay replaces the session...
                        call.caller().hangUp();  // ...while the caller hangs up: both must wind down
                    }
                }
            }
            for (int i = 0; i < CONCURRENT; i++) {
                RelayHarness.Call call = live.get(i);
                try {
                    call.caller().awaitClose(Duration.ofSeconds(10));
                } catch (IllegalStateException open) {
                    throw new AssertionError(endings.get(i) + " did not end call " + call.callSid() + "; the model saw "
                            + harness.realtime().events().stream().filter(e -> e.connection() == call.session().id())
                                    .map(e -> e.type()).filter(t -> !t.equals("input_audio_buffer.append")).toList()
                            + "; the caller got " + call.caller().received().stream().map(m -> m.path("event").asText()).filter(t -> !t.equals("media") && !t.equals("mark")).toList(), open);
                }
            }
            if (batch == 2) {
                awaitQuiet(harness);
                threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            }
        }
        awaitQuiet(harness);
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        assertEquals(0, sessions.size());
        assertEquals(0, connector.openSockets());
        assertEquals(0, harness.realtime().openConnections());
        assertEquals(0, twilioSockets.listAll().size());
        assertTrue(threadsAfter - threadsBefore <= 8, "threads " + threadsBefore + " -> " + threadsAfter);
        for (Ending e : Ending.values()) {
            assertTrue(counts.getOrDefault(e, 0) > 100, "every ending was exercised: " + counts);
        }
        await(Duration.ofSeconds(10), () -> sids.stream().allMatch(sid -> calls.find(sid).orElseThrow().outcome().isPresent()),
                "every call to have an outcome");
    }

    private void awaitQuiet(RelayHarness harness) {
        await(Duration.ofSeconds(15), () -> sessions.size() == 0 && connector.openSockets() == 0
                && harness.realtime().openConnections() == 0 && twilioSockets.listAll().isEmpty(),
                "every call to wind down: sessions=" + sessions.size() + " realtime=" + connector.openSockets()
                        + " sim=" + harness.realtime().openConnections() + " twilio=" + twilioSockets.listAll().size());
    }
}
