package dev.switchboard.core.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamoCallStoreTest {

    static DynamoTestSupport dynamo;
    static DynamoCallStore store;
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static int counter;

    @BeforeAll
    static void start() {
        dynamo = new DynamoTestSupport();
        store = dynamo.store();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    static String newCall(String token) {
        String sid = String.format("CA%032d", ++counter);
        assertTrue(store.create(new NewCall(sid, Direction.INBOUND, "+15550001111", "+15550002222", "default",
                CallStatus.RINGING, StreamTokens.hash(token), T0.plusSeconds(300)), T0));
        return sid;
    }

    @Test
    void createIsIdempotentAndKeepsTheFirstRecord() {
        String sid = newCall("tok");
        assertFalse(store.create(new NewCall(sid, Direction.INBOUND, "+1", "+2", "other", CallStatus.RINGING, "x", T0), T0));
        CallRecord r = store.find(sid).orElseThrow();
        assertEquals("default", r.agent());
        assertEquals(T0.plus(Duration.ofDays(30)).getEpochSecond(), r.expiresAt().getEpochSecond());
        assertEquals(1, r.version());
    }

    @Test
    void statusOnlyMovesForwardAndTheFirstFinalStatusWins() {
        String sid = newCall("tok");
        assertTrue(store.advanceStatus(sid, CallStatus.IN_PROGRESS, Optional.empty(), T0.plusSeconds(2), T0.plusSeconds(2)));
        assertTrue(store.advanceStatus(sid, CallStatus.COMPLETED, Optional.of(42L), T0.plusSeconds(44), T0.plusSeconds(44)));
        // late and repeated callbacks
        assertFalse(store.advanceStatus(sid, CallStatus.RINGING, Optional.empty(), T0.plusSeconds(1), T0.plusSeconds(50)));
        assertFalse(store.advanceStatus(sid, CallStatus.COMPLETED, Optional.of(43L), T0.plusSeconds(45), T0.plusSeconds(51)));
        assertFalse(store.advanceStatus(sid, CallStatus.FAILED, Optional.empty(), T0.plusSeconds(46), T0.plusSeconds(52)));
        CallRecord r = store.find(sid).orElseThrow();
        assertEquals(CallStatus.COMPLETED, r.status());
        assertEquals(Optional.of(42L), r.durationSeconds());
        assertEquals(Optional.of(T0.plusSeconds(2)), r.answeredAt());
        assertEquals(Optional.of(T0.plusSeconds(44)), r.endedAt());
    }

    @Test
    void unknownCallsAreNotCreatedByCallbacks() {
        assertFalse(store.advanceStatus("CA" + "f".repeat(32), CallStatus.COMPLETED, Optional.empty(), T0, T0));
        assertFalse(store.recordStreamEvent("CA" + "f".repeat(32), "stream-started", T0, T0));
        assertTrue(store.find("CA" + "f".repeat(32)).isEmpty());
    }

    @Test
    void streamTokenIsSingleUseAndChecked() {
        String sid = newCall("the-token");
        StreamClaim wrong = new StreamClaim(sid, StreamTokens.hash("guess"), "MZ" + "0".repeat(32), "http://relay-a");
        assertFalse(store.claimStream(wrong, T0.plusSeconds(1)).accepted());

        StreamClaim right = new StreamClaim(sid, StreamTokens.hash("the-token"), "MZ" + "0".repeat(32), "http://relay-a");
        ClaimResult first = store.claimStream(right, T0.plusSeconds(1));
        assertTrue(first.accepted());
        assertEquals(Optional.of("http://relay-a"), first.call().orElseThrow().relayAddress());

        ClaimResult replay = store.claimStream(right, T0.plusSeconds(2));
        assertFalse(replay.accepted());
        assertEquals("stream token already used", replay.reason());
    }

    @Test
    void relaysRacingWithOneTokenAreClaimedExactlyOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            String sid = newCall("race-" + round);
            int racers = 4;
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ClaimResult>> results = new ArrayList<>();
            for (int r = 0; r < racers; r++) {
                String relay = "http://relay-" + r;
                String stream = String.format("MZ%032d", r);
                int n = round;
                results.add(pool.submit(() -> {
                    go.await();
                    return store.claimStream(new StreamClaim(sid, StreamTokens.hash("race-" + n), stream, relay), T0.plusSeconds(1));
                }));
            }
            go.countDown();
            int won = 0;
            String winner = null;
            for (var f : results) {
                ClaimResult r = f.get();
                if (r.accepted()) {
                    won++;
                    winner = r.call().orElseThrow().relayAddress().orElseThrow();
                }
            }
            pool.shutdown();
            assertEquals(1, won, "exactly one relay holds the call");
            assertEquals(Optional.of(winner), store.find(sid).orElseThrow().relayAddress(), "the record names the winner");
        }
    }

    @Test
    void aLostStreamGetsANewTokenOnlyWithoutAnOutcomeAndWithinTheLimit() {
        String sid = newCall("first");
        String oldStream = "MZ" + "1".repeat(32);
        assertTrue(store.claimStream(new StreamClaim(sid, StreamTokens.hash("first"), oldStream, "http://relay-a"), T0.plusSeconds(1)).accepted());
        CallRecord held = store.find(sid).orElseThrow();
        assertFalse(store.resumeStream(sid, held.version() - 1, StreamTokens.hash("stale"), T0.plusSeconds(300), 2, T0.plusSeconds(5)),
                "a record changed since it was read is not resumed");
        assertTrue(store.resumeStream(sid, held.version(), StreamTokens.hash("second"), T0.plusSeconds(300), 2, T0.plusSeconds(5)));
        CallRecord resuming = store.find(sid).orElseThrow();
        assertTrue(resuming.resuming());
        assertEquals(1, resuming.resumes());
        assertFalse(store.claimStream(new StreamClaim(sid, StreamTokens.hash("first"), "MZ" + "9".repeat(32), "x"), T0.plusSeconds(6))
                .accepted(), "the old token is gone");
        String newStream = "MZ" + "2".repeat(32);
        assertTrue(store.claimStream(new StreamClaim(sid, StreamTokens.hash("second"), newStream, "http://relay-b"), T0.plusSeconds(6))
                .accepted(), "the lost relay's claim is taken over");
        assertFalse(store.finishStream(sid, oldStream, Outcome.completed("late"), T0.plusSeconds(7)),
                "the relay that lost the stream cannot end the call");
        assertFalse(store.handOverStream(sid, oldStream, StreamTokens.hash("x"), T0.plusSeconds(300), 2, T0.plusSeconds(7)),
                "nor hand it over");
        store.resumed(sid, newStream, T0.plusSeconds(7));
        assertFalse(store.find(sid).orElseThrow().resuming());

        assertTrue(store.handOverStream(sid, newStream, StreamTokens.hash("third"), T0.plusSeconds(300), 2, T0.plusSeconds(8)));
        assertTrue(store.claimStream(new StreamClaim(sid, StreamTokens.hash("third"), "MZ" + "3".repeat(32), "c"), T0.plusSeconds(9)).accepted());
        CallRecord third = store.find(sid).orElseThrow();
        assertEquals(2, third.resumes());
        assertFalse(store.resumeStream(sid, third.version(), StreamTokens.hash("fourth"), T0.plusSeconds(300), 2, T0.plusSeconds(10)),
                "no more than the limit");

        String ended = newCall("e");
        assertTrue(store.finish(ended, Outcome.completed("done"), T0.plusSeconds(2)));
        CallRecord over = store.find(ended).orElseThrow();
        assertFalse(store.resumeStream(ended, over.version(), StreamTokens.hash("n"), T0.plusSeconds(300), 5, T0.plusSeconds(3)),
                "a call with an outcome is never resumed");
    }

    @Test
    void theHoldStateIsWrittenOnlyByTheStreamHoldingTheCall() {
        String sid = newCall("h");
        String stream = "MZ" + "4".repeat(32);
        assertTrue(store.claimStream(new StreamClaim(sid, StreamTokens.hash("h"), stream, "r"), T0.plusSeconds(1)).accepted());
        store.saveHolding(sid, "MZ" + "5".repeat(32), true, T0.plusSeconds(2));
        assertFalse(store.find(sid).orElseThrow().holding());
        store.saveHolding(sid, stream, true, T0.plusSeconds(2));
        assertTrue(store.find(sid).orElseThrow().holding());
    }

    @Test
    void expiredTokenIsRefused() {
        String sid = newCall("late");
        ClaimResult r = store.claimStream(new StreamClaim(sid, StreamTokens.hash("late"), "MZ" + "0".repeat(32), "r"),
                T0.plusSeconds(301));
        assertFalse(r.accepted());
        assertEquals("stream token expired", r.reason());
    }

    @Test
    void streamEventsKeepTheirFirstTime() {
        String sid = newCall("t");
        assertTrue(store.recordStreamEvent(sid, "stream-started", T0.plusSeconds(1), T0.plusSeconds(1)));
        assertTrue(store.recordStreamEvent(sid, "stream-started", T0.plusSeconds(9), T0.plusSeconds(9)));
        assertEquals(T0.plusSeconds(1), store.find(sid).orElseThrow().streamEvents().get("stream-started"));
    }

    @Test
    void usageAddsUpAndOutcomeIsSetOnce() {
        String sid = newCall("t");
        store.addUsage(sid, new Usage(100, 50, 80, 20, 0, 10, 40, 1, 0), T0);
        store.addUsage(sid, new Usage(200, 60, 150, 50, 30, 20, 40, 1, 1500), T0);
        assertTrue(store.finish(sid, Outcome.completed("caller hung up"), T0));
        assertFalse(store.finish(sid, Outcome.failed("late"), T0));
        CallRecord r = store.find(sid).orElseThrow();
        assertEquals(new Usage(300, 110, 230, 70, 30, 30, 80, 2, 1500), r.usage());
        assertEquals("completed", r.outcome().orElseThrow().kind());
    }

    @Test
    void holdCountersAddUp() {
        String sid = newCall("t");
        store.addHoldUsage(sid, HoldUsage.oneHold(), T0);
        store.addHoldUsage(sid, HoldUsage.oneWake(), T0);
        store.addHoldUsage(sid, HoldUsage.warmWake(), T0);
        store.addHoldUsage(sid, HoldUsage.falseWake(2400), T0);
        store.addHoldUsage(sid, HoldUsage.repeatIgnored(), T0);
        store.addHoldUsage(sid, HoldUsage.heldFor(1_200_000, 19_200), T0);
        store.addHoldUsage(sid, HoldUsage.heldFor(600_000, 9_600), T0);
        store.addHoldUsage(sid, HoldUsage.sungIgnored(3), T0);
        assertEquals(new HoldUsage(1, 1_800_000, 1, 1, 1, 2400, 28_800, 1, 3), store.find(sid).orElseThrow().hold());
        assertEquals(HoldUsage.ZERO, store.find(newCall("u")).orElseThrow().hold());
    }

    @Test
    void answeredByReturnsTheRecordAsWrittenAndUnknownCallsAreEmpty() {
        String sid = newCall("t");
        assertTrue(store.claimStream(new StreamClaim(sid, StreamTokens.hash("t"), "MZ" + "3".repeat(32), "http://relay-a:8080"),
                T0.plusSeconds(1)).accepted());
        CallRecord after = store.saveAnsweredBy(sid, "machine_end_beep", T0.plusSeconds(2)).orElseThrow();
        assertEquals(Optional.of("machine_end_beep"), after.answeredBy());
        assertEquals(Optional.of("http://relay-a:8080"), after.relayAddress());
        assertTrue(store.saveAnsweredBy("CA" + "9".repeat(32), "human", T0).isEmpty());
    }

    @Test
    void theSavedConversationIsReplacedWhole() {
        String sid = newCall("t");
        assertTrue(store.savedConversation(sid).isEmpty());
        store.saveConversation(sid, new SavedConversation(List.of(new SavedConversation.Item("user", "Billing, please hold.")),
                "", "first", T0), T0);
        SavedConversation second = new SavedConversation(List.of(
                new SavedConversation.Item("assistant", "Hello, I'm calling about invoice 881."),
                new SavedConversation.Item("user", "Please hold."),
                new SavedConversation.Item("system", "Keypad entry: ••••")), "verify", "on hold for billing", T0.plusSeconds(5));
        store.saveConversation(sid, second, T0.plusSeconds(5));
        assertEquals(second, store.savedConversation(sid));
    }

    @Test
    void aStreamThatIsNoLongerTheCallsCannotEndItAfterAFailedTransfer() {
        String sid = newCall("first");
        String oldStream = "MZ" + "1".repeat(32);
        assertTrue(store.claimStream(new StreamClaim(sid, StreamTokens.hash("first"), oldStream, "r"), T0.plusSeconds(1)).accepted());
        assertTrue(store.startTransfer(sid, new Transfer("+15550104444", "frustrated", "summary", Optional.empty()), T0.plusSeconds(5)));
        assertFalse(store.finishStream(sid, oldStream, Outcome.completed("stream stopped"), T0.plusSeconds(6)), "already transferred");
        assertTrue(store.returnFromTransfer(sid, "no-answer", StreamTokens.hash("second"), T0.plusSeconds(300), T0.plusSeconds(30)));
        // the old relay's late write must not end the call that came back
        assertFalse(store.finishStream(sid, oldStream, Outcome.completed("stream stopped"), T0.plusSeconds(31)));
        assertTrue(store.find(sid).orElseThrow().outcome().isEmpty());
        String newStream = "MZ" + "2".repeat(32);
        assertTrue(store.claimStream(new StreamClaim(sid, StreamTokens.hash("second"), newStream, "r2"), T0.plusSeconds(32)).accepted());
        assertTrue(store.finishStream(sid, newStream, Outcome.completed("caller hung up"), T0.plusSeconds(90)));
        assertEquals("no-answer", store.find(sid).orElseThrow().transfer().orElseThrow().result().orElseThrow());
    }

    @Test
    void transcriptIsCappedToKeepTheItemSmall() {
        String sid = newCall("t");
        for (int i = 0; i < DynamoCallStore.MAX_TRANSCRIPT_LINES + 5; i++) {
            store.appendTranscript(sid, new TranscriptLine("caller", "line " + i, T0), T0);
        }
        CallRecord r = store.find(sid).orElseThrow();
        assertEquals(DynamoCallStore.MAX_TRANSCRIPT_LINES, r.transcript().size());
        assertEquals("line 0", r.transcript().get(0).text());
    }
}
