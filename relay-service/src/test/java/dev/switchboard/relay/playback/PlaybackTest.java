package dev.switchboard.relay.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Marks every ~100 ms of audio, and the played position between marks computed from time, never past the next mark. */
class PlaybackTest {

    static final int MS_20 = 160; // bytes of 20 ms of mu-law

    final AtomicLong now = new AtomicLong();
    final Playback playback = new Playback(now::get);

    void advanceMs(long ms) {
        now.addAndGet(ms * 1_000_000);
    }

    @Test
    void smallDeltasShareAMarkEveryHundredMilliseconds() {
        for (int i = 1; i <= 4; i++) {
            assertNull(playback.sent("item1", MS_20), "no mark after " + 20 * i + " ms");
        }
        assertEquals("m1", playback.sent("item1", MS_20));
        assertNull(playback.sent("item1", MS_20));
        assertTrue(playback.hasUnplayedAudio(), "unmarked audio counts as not yet played");
        assertEquals("m2", playback.markRest(), "the end of a response marks the rest");
        assertNull(playback.markRest());
        playback.played("m1");
        playback.played("m2");
        assertFalse(playback.hasUnplayedAudio());
        assertEquals(120, playback.playedMs("item1"));
    }

    @Test
    void betweenMarksThePositionAdvancesWithTimeButNeverPastTheNextMark() {
        String first = playback.sent("item1", 200 * 8); // one 200 ms delta
        String second = playback.sent("item1", 200 * 8);
        assertEquals(0, playback.playedMs("item1"), "nothing is known before a mark comes back");
        advanceMs(200);
        playback.played(first);
        assertEquals(200, playback.playedMs("item1"));
        advanceMs(90);
        assertEquals(290, playback.playedMs("item1"), "90 ms into the second delta, not its start");
        advanceMs(500); // the caller's leg stalls: no further mark yet
        assertEquals(400, playback.playedMs("item1"), "never past the mark that has not come back");
        playback.played(second);
        assertEquals(400, playback.playedMs("item1"));
    }

    @Test
    void afterAnIdleLineTimeCountsOnlyFromTheNextMark() {
        String m = playback.sent("item1", 100 * 8);
        advanceMs(100);
        playback.played(m);
        advanceMs(5_000); // silence: the agent said nothing for five seconds
        String next = playback.sent("item2", 100 * 8);
        playback.sent("item2", 100 * 8);
        assertEquals(0, playback.playedMs("item2"), "the idle gap is not counted as playing");
        advanceMs(100);
        playback.played(next);
        advanceMs(50);
        assertEquals(150, playback.playedMs("item2"));
    }

    @Test
    void aClearForgetsWhatWasQueued() {
        String m = playback.sent("item1", 100 * 8);
        playback.sent("item1", 100 * 8);
        playback.played(m);
        playback.flush();
        assertFalse(playback.hasUnplayedAudio());
        playback.played("m2"); // a mark the clear flushed comes back: ignored
        assertEquals(100, playback.playedMs("item1"));
    }
}
