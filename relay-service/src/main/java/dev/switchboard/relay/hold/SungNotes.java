package dev.switchboard.relay.hold;

/**
 * How much of the last 800 ms of a hold line was held notes: voiced stretches of at least 200 ms whose
 * pitch stays within a semitone of their mean (a vibrato stays one note; an octave slip of the estimate
 * counts as the same note). Singing holds
 * its notes; speech glides from syllable to syllable, so a person's voice scores low (docs/BENCHMARKS.md
 * has the figures). The pitch is the peak of the normalised autocorrelation, 70-730 Hz, on 40 ms windows.
 *
 * <p>Written by hand: no pitch tracker ships for the JVM in a package we can take, and this one runs
 * only when the speech detector is about to wake the agent (about 1 ms each time); the per-frame cost is
 * copying the frame into a ring.
 */
final class SungNotes {

    static final int FRAMES = 40;
    static final int FRAME = 160;
    private static final int WINDOW = 2 * FRAME;
    private static final int MIN_LAG = 11;
    private static final int MAX_LAG = 114;
    /** A window is voiced when its best normalised autocorrelation reaches this. */
    static final double VOICED = 0.6;
    /** A note must be held this long (200 ms) to count. */
    static final int MIN_NOTE_FRAMES = 10;
    /** Fewer voiced frames than this in the 800 ms: not enough to tell, so not sung. */
    static final int MIN_VOICED_FRAMES = 12;

    private final float[] ring = new float[(FRAMES + 1) * FRAME];
    private final float[] window = new float[WINDOW];
    private final double[] pitch = new double[FRAMES];
    private final double[] correlation = new double[MAX_LAG + 1];
    private long frames;

    /** One 20 ms frame of the line, 8 kHz samples. */
    void add(float[] samples, int n) {
        int at = (int) (frames % (FRAMES + 1)) * FRAME;
        System.arraycopy(samples, 0, ring, at, Math.min(n, FRAME));
        frames++;
    }

    /** Share (0-1) of the voiced frames of the last 800 ms that lie in held notes. */
    double heldShare() {
        if (frames < FRAMES + 1) {
            return 0;
        }
        int voiced = 0;
        for (int f = 0; f < FRAMES; f++) {
            pitch[f] = pitchOf(frames - FRAMES + f);
            if (pitch[f] > 0) {
                voiced++;
            }
        }
        if (voiced < MIN_VOICED_FRAMES) {
            return 0;
        }
        int held = 0;
        int start = 0;
        while (start < FRAMES) {
            if (pitch[start] == 0) {
                start++;
                continue;
            }
            // a note: frames within a semitone of the run's mean pitch (so a singer's vibrato stays one note)
            double sum = 0;
            int end = start;
            while (end < FRAMES && pitch[end] > 0) {
                double offset = folded(pitch[start], pitch[end]);
                if (end > start && Math.abs(offset - sum / (end - start)) >= 1) {
                    break;
                }
                sum += offset;
                end++;
            }
            if (end - start >= MIN_NOTE_FRAMES) {
                held += end - start;
            }
            start = end;
        }
        return held / (double) voiced;
    }

    /** Semitones from {@code reference} to {@code hz}, an octave slip of the estimate folded back (-6 to 6). */
    private static double folded(double reference, double hz) {
        double semitones = 12 * Math.log(hz / reference) / Math.log(2);
        return semitones - 12 * Math.rint(semitones / 12);
    }

    /** The pitch (Hz) of the 40 ms ending with frame {@code index}, or 0 if unvoiced. */
    private double pitchOf(long index) {
        int previous = (int) ((index - 1) % (FRAMES + 1)) * FRAME;
        int current = (int) (index % (FRAMES + 1)) * FRAME;
        System.arraycopy(ring, previous, window, 0, FRAME);
        System.arraycopy(ring, current, window, FRAME, FRAME);
        double mean = 0;
        for (float v : window) {
            mean += v;
        }
        mean /= WINDOW;
        double energy = 0;
        for (int i = 0; i < WINDOW; i++) {
            window[i] -= (float) mean;
            energy += window[i] * window[i];
        }
        if (energy < 1e-6) {
            return 0;
        }
        double best = 0;
        for (int lag = MIN_LAG; lag <= MAX_LAG; lag++) {
            correlation[lag] = correlationAt(lag);
            best = Math.max(best, correlation[lag]);
        }
        if (best < VOICED) {
            return 0;
        }
        // the shortest lag that peaks near the best: a multiple of the period correlates as well, and
        // taking it would put the pitch an octave or a twelfth low
        for (int lag = MIN_LAG + 1; lag < MAX_LAG; lag++) {
            double r = correlation[lag];
            if (r >= 0.9 * best && r >= correlation[lag - 1] && r >= correlation[lag + 1]) {
                double bend = correlation[lag - 1] - 2 * r + correlation[lag + 1];
                double shift = bend < 0 ? 0.5 * (correlation[lag - 1] - correlation[lag + 1]) / bend : 0; // parabola through the peak
                return 8000.0 / (lag + shift);
            }
        }
        return 0;
    }

    private double correlationAt(int lag) {
        double cross = 0;
        double head = 0;
        double tail = 0;
        for (int i = 0; i + lag < WINDOW; i++) {
            cross += window[i] * window[i + lag];
            head += window[i] * window[i];
            tail += window[i + lag] * window[i + lag];
        }
        return cross / Math.sqrt(head * tail + 1e-12);
    }
}
