package dev.switchboard.relay.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The line's past, as the hold listener searches it for a run the line played before: found by its
 * fingerprints wherever it played, a replay at another gain still a replay, and a replay with a voice
 * added to it (a level that rises and falls against the first play) not one.
 */
class LineMemoryTest {

    private static final int RUN = 21;
    private static final int RECENT = 250;

    @Test
    void aRunTheLinePlayedBeforeIsARepeatAlsoAtAnotherGain() {
        Played playlist = Played.random(new Random(1), 3000);
        LineMemory line = new LineMemory();
        playlist.onto(line, 0);
        Played.random(new Random(2), 500).onto(line, 0); // something else between the rounds

        playlist.slice(1200, 1200 + RUN).onto(line, -3); // the playlist again, from where it had got to, 3 dB quieter
        LineMemory.Comparison c = line.compareNewest(RUN, RECENT).orElseThrow();
        assertEquals(0.0, c.bitErrorRate());
        assertEquals(0.0, c.levelSpreadDb(), 0.01);
        assertTrue(c.isRepeat());
    }

    @Test
    void aRepeatFromAnotherPlaceThanTheLastOneIsStillFound() {
        Played playlist = Played.random(new Random(1), 3000);
        Played announcement = Played.random(new Random(11), 300);
        LineMemory line = new LineMemory();
        announcement.onto(line, 0);
        playlist.onto(line, 0);
        playlist.slice(0, RUN).onto(line, 0); // the playlist comes round: found 3,000 frames back
        assertTrue(line.compareNewest(RUN, RECENT).orElseThrow().isRepeat());
        Played.random(new Random(12), 400).onto(line, 0);
        announcement.slice(100, 100 + RUN).onto(line, 0); // then the announcement again, from further back
        LineMemory.Comparison c = line.compareNewest(RUN, RECENT).orElseThrow();
        assertEquals(0.0, c.bitErrorRate());
        assertTrue(c.isRepeat());
    }

    @Test
    void aReplayWithSomethingAddedToItIsNotARepeat() {
        Played playlist = Played.random(new Random(1), 3000);
        LineMemory line = new LineMemory();
        playlist.onto(line, 0);
        Played.random(new Random(2), 500).onto(line, 0);

        Played run = playlist.slice(1200, 1200 + RUN);
        for (int i = 0; i < RUN; i++) {
            run.levels[i] += (i / 3) % 2 == 0 ? 6 : 0; // a voice over it, syllable by syllable (its bits, here, unchanged)
        }
        run.onto(line, 0);
        LineMemory.Comparison c = line.compareNewest(RUN, RECENT).orElseThrow();
        assertEquals(0.0, c.bitErrorRate());
        assertTrue(c.levelSpreadDb() > LineMemory.LEVEL_SPREAD_DB, "spread " + c.levelSpreadDb());
        assertFalse(c.isRepeat());
    }

    @Test
    void aRunNotPlayedBeforeMatchesNothingClosely() {
        LineMemory line = new LineMemory();
        Played.random(new Random(1), 3000).onto(line, 0);
        Played.random(new Random(3), RUN).onto(line, 0);
        LineMemory.Comparison c = line.compareNewest(RUN, RECENT).orElseThrow();
        assertTrue(c.bitErrorRate() > 0.3, "new audio is far from everything the line played: " + c);
        assertFalse(c.isRepeat());
    }

    @Test
    void theRunAndWhatLedIntoItAreNotItsOwnPast() {
        LineMemory line = new LineMemory();
        Played.random(new Random(1), 3000).onto(line, 0);
        Played lead = Played.random(new Random(4), RECENT);
        lead.onto(line, 0);
        lead.slice(10, 10 + RUN).onto(line, 0); // repeats what played a few seconds ago: within the recent frames
        assertFalse(line.compareNewest(RUN, RECENT).orElseThrow().isRepeat());
    }

    @Test
    void whatIsOlderThanTenMinutesIsForgottenAndTheRingsEndIsSeamless() {
        Played old = Played.random(new Random(5), 1000);
        LineMemory line = new LineMemory();
        old.onto(line, 0);
        Played.random(new Random(6), LineMemory.FRAMES).onto(line, 0); // ten more minutes of other audio
        old.slice(500, 500 + RUN).onto(line, 0);
        assertFalse(line.compareNewest(RUN, RECENT).orElseThrow().isRepeat());

        Played recent = Played.random(new Random(7), 1000); // played across the ring's end, within ten minutes
        LineMemory wrapped = new LineMemory();
        Played.random(new Random(8), LineMemory.FRAMES - 300).onto(wrapped, 0);
        recent.onto(wrapped, 0);
        Played.random(new Random(9), 400).onto(wrapped, 0);
        recent.slice(290, 290 + RUN).onto(wrapped, 0);
        LineMemory.Comparison c = wrapped.compareNewest(RUN, RECENT).orElseThrow();
        assertEquals(0.0, c.bitErrorRate());
        assertTrue(c.isRepeat());
    }

    @Test
    void aLineShorterThanTheRunAndItsLeadInHasNoPast() {
        LineMemory line = new LineMemory();
        Played.random(new Random(10), RUN).onto(line, 0);
        assertTrue(line.compareNewest(RUN, RECENT).isEmpty());
    }

    /** Frames as the listener hears them: a fingerprint and a level (dBFS) each. */
    private record Played(int[] fingerprints, int[] levels) {
        static Played random(Random random, int frames) {
            int[] f = new int[frames];
            int[] l = new int[frames];
            for (int i = 0; i < frames; i++) {
                f[i] = random.nextInt(1 << 16);
                l[i] = -40 + random.nextInt(30);
            }
            return new Played(f, l);
        }

        Played slice(int from, int to) {
            return new Played(Arrays.copyOfRange(fingerprints, from, to), Arrays.copyOfRange(levels, from, to));
        }

        /** Plays these frames onto the line, {@code gainDb} louder. */
        void onto(LineMemory line, int gainDb) {
            float[] samples = new float[160];
            for (int i = 0; i < fingerprints.length; i++) {
                Arrays.fill(samples, (float) Math.pow(10, (levels[i] + gainDb) / 20.0));
                line.add(fingerprints[i], samples, samples.length);
            }
        }
    }
}
