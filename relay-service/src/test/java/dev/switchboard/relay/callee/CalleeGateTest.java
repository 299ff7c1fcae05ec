package dev.switchboard.relay.callee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.agent.CalleeSettings;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.relay.events.CallEvents;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gate's decisions on its own, on a real event loop with a short settle time. */
class CalleeGateTest {

    static final long SETTLE_MS = 60;

    final Vertx vertx = Vertx.vertx();
    final List<String> did = new CopyOnWriteArrayList<>();
    final CalleeHost host = new CalleeHost() {
        @Override
        public void autoRespond(boolean on) {
            did.add("autoRespond " + on);
        }

        @Override
        public void respond(String instructions) {
            did.add("respond " + instructions);
        }

        @Override
        public void voicemailHeard() {
            did.add("voicemail");
        }

        @Override
        public void giveUp(Outcome outcome) {
            did.add("giveUp " + outcome.kind() + ": " + outcome.reason());
        }
    };

    @AfterEach
    void close() {
        vertx.close();
    }

    /** A gate on its own event loop; events go nowhere (the call is not open). */
    CalleeGate gate(boolean active) throws Exception {
        CompletableFuture<CalleeGate> made = new CompletableFuture<>();
        vertx.runOnContext(v -> made.complete(new CalleeGate(vertx, "CA1", new CalleeSettings(null, null, null, SETTLE_MS, 2),
                active, true, host, new CallEvents(null, null, Clock.systemUTC(), null), null)));
        return made.get(5, TimeUnit.SECONDS);
    }

    void on(Runnable r) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            r.run();
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }

    void turn(CalleeGate gate, String words) throws Exception {
        on(() -> {
            gate.speechStarted();
            gate.turnEnded();
            gate.heard(words);
        });
    }

    @Test
    void aPromptSpokenInTwoTurnsWithAPauseGetsOneResponseOnceTheLineSettles() throws Exception {
        CalleeGate gate = gate(true);
        assertFalse(gate.autoRespond());
        turn(gate, "Thank you for calling Northwind.");
        turn(gate, "For billing, press 1.");
        assertEquals(List.of(), did, "nothing while the prompt may go on");
        Thread.sleep(SETTLE_MS * 4);
        assertEquals(1, did.size(), did.toString());
        assertTrue(did.get(0).contains("\"Thank you for calling Northwind. For billing, press 1.\""), did.toString());
        assertTrue(gate.navigatingMenu());
    }

    @Test
    void aPromptThatKeepsComingBackIsGivenUpAfterTheLimit() throws Exception {
        CalleeGate gate = gate(true);
        for (int i = 0; i < 3; i++) {
            turn(gate, "For billing, press 1. For orders, press 2.");
            Thread.sleep(SETTLE_MS * 3);
        }
        assertEquals(3, did.size(), did.toString());
        assertTrue(did.get(1).contains("Try another way"), did.toString());
        assertTrue(did.get(2).startsWith("giveUp failed: phone menu: the same prompt came back 2 times"), did.toString());
        assertFalse(gate.navigatingMenu(), "done with the menu");
    }

    @Test
    void speechThatCouldNotBeTranscribedIsAnsweredAsAPersonWouldBe() throws Exception {
        CalleeGate gate = gate(true);
        turn(gate, ""); // transcription failed
        Thread.sleep(SETTLE_MS * 4);
        assertEquals(List.of("autoRespond true", "respond "), did);
        assertTrue(gate.autoRespond());
    }

    @Test
    void aPersonOpensTheGateAtOnceOnTwiliosVerdictAndAnInactiveGateNeverActs() throws Exception {
        CalleeGate gate = gate(true);
        on(() -> gate.verdict("human"));
        assertEquals(List.of("autoRespond true", "respond "), did);
        did.clear();
        CalleeGate off = gate(false);
        assertTrue(off.autoRespond());
        turn(off, "For billing, press 1.");
        Thread.sleep(SETTLE_MS * 3);
        assertEquals(List.of(), did);
    }
}
