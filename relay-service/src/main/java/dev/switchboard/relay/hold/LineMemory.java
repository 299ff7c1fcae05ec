package dev.switchboard.relay.hold;

import java.util.Arrays;
import java.util.Optional;

/**
 * The last ten minutes of a hold line, so that audio the line has played before is known for a
 * recording: a hold queue plays its playlist round and round, and a song the agent was woken for and
 * dismissed as music would otherwise wake it again at every phrase of every round. A live person never
 * repeats what the line played before, so only recordings match.
 *
 * <p>Each frame keeps its fingerprint ({@link AudioFingerprint}) and its level. The fingerprint finds
 * where the run played before; the level says whether something was added to it: a replay differs from
 * its first play by a steady gain, while a person talking over it raises the level syllable by
 * syllable, and the fingerprint alone cannot tell (a voice at the song's level changes only a fifth to
 * a third of its bits). Unlike {@link DismissedRecordings} (what the agent heard and dismissed), this
 * keeps everything the listener heard, whole and in order, so any part of a song's next play finds its
 * earlier play wherever the wakes fell. 3 bytes a frame in a ring: 90 KB per held call.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class LineMemory {

    /** Ten minutes of 20 ms frames: a hold playlist's round is usually shorter. */
    static final int FRAMES = 30_000;
    /** At or under this share of differing bits, the run may be a replay of the line's past. */
    static final double REPEAT_BER = 0.25;
    /**
     * At or under this spread of the level difference (dB, mean absolute deviation from its median, over
     * 60 ms steps) nothing was added to the replay. A replay out of step with the frames spreads by up to
     * about 1.5 dB; a person at the song's level by 1.5-6 dB wherever they speak (docs/BENCHMARKS.md).
     */
    static final double LEVEL_SPREAD_DB = 2.0;
    /** Levels under this (dBFS) count as this: in near silence a level difference is noise. */
    private static final int FLOOR_DB = -60;
    /** Frames of levels averaged before comparing (60 ms): a replay's shift within a frame evens out. */
    private static final int SMOOTH = 3;
    /** Frames either side of the last repeat's distance back that are tried before the whole past is searched. */
    private static final int LAG_SLACK = 3;

    /** How the newest run compares with the place on the line that it matches best. */
    record Comparison(double bitErrorRate, double levelSpreadDb) {
        boolean isRepeat() {
            return bitErrorRate <= REPEAT_BER && levelSpreadDb <= LEVEL_SPREAD_DB;
        }
    }

    private final char[] fingerprints = new char[FRAMES];
    private final byte[] levels = new byte[FRAMES];
    private long frames;
    /**
     * How far back the last repeat was (frames; 0 before any): a playlist comes round at a fixed period, so
     * the next run of a round is looked for there first, and the whole past (about a millisecond) is
     * searched only when it is not found there: for the first round, and for people.
     */
    private long lastLag;

    /** One frame: its fingerprint and its samples (scaled to [-1, 1]). */
    void add(int fingerprint, float[] samples, int n) {
        double energy = 1e-12;
        for (int i = 0; i < n; i++) {
            energy += samples[i] * samples[i];
        }
        int at = (int) (frames % FRAMES);
        fingerprints[at] = (char) fingerprint;
        levels[at] = (byte) Math.max(FLOOR_DB, Math.round(10 * Math.log10(energy / Math.max(1, n))));
        frames++;
    }

    /**
     * The newest {@code length} frames against the earlier places on the line that end at least
     * {@code recent} frames before them (the run itself and what led into it are left out): first around
     * the distance back of the last repeat, then, unless that finds one, all of the last ten minutes.
     */
    Optional<Comparison> compareNewest(int length, int recent) {
        long liveStart = frames - length;
        long newestStart = frames - recent - length;
        long oldestStart = Math.max(0, frames - FRAMES);
        if (newestStart < oldestStart) {
            return Optional.empty();
        }
        if (lastLag > 0) {
            long around = liveStart - lastLag;
            Optional<Comparison> there = best(liveStart, length, Math.max(oldestStart, around - LAG_SLACK),
                    Math.min(newestStart, around + LAG_SLACK));
            if (there.isPresent() && there.get().isRepeat()) {
                return there;
            }
        }
        return best(liveStart, length, oldestStart, newestStart);
    }

    /**
     * The best of the alignments starting from {@code from} to {@code to} (inclusive) by fingerprint; a
     * repeat found becomes the distance back tried first next time. 30,000 alignments of 20 frames: about
     * a millisecond.
     */
    private Optional<Comparison> best(long liveStart, int length, long from, long to) {
        int live = index(liveStart);
        long bestAt = -1;
        int bestErrors = Integer.MAX_VALUE;
        for (long at = from; at <= to; at++) {
            int past = index(at);
            int errors = 0;
            for (int i = 0; i < length && errors < bestErrors; i++) {
                errors += Integer.bitCount((fingerprints[wrap(live + i)] ^ fingerprints[wrap(past + i)]) & 0xFFFF);
            }
            if (errors < bestErrors) {
                bestErrors = errors;
                bestAt = at;
            }
        }
        if (bestAt < 0) {
            return Optional.empty();
        }
        Comparison c = new Comparison(bestErrors / (16.0 * length), levelSpread(liveStart, bestAt, length));
        if (c.isRepeat()) {
            lastLag = liveStart - bestAt;
        }
        return Optional.of(c);
    }

    /** How unevenly the live run's level departs from the earlier play's (0 for a replay at any gain). */
    private double levelSpread(long live, long past, int length) {
        int steps = length / SMOOTH;
        double[] differences = new double[steps];
        for (int s = 0; s < steps; s++) {
            int sum = 0;
            for (int i = s * SMOOTH; i < (s + 1) * SMOOTH; i++) {
                sum += levels[index(live + i)] - levels[index(past + i)];
            }
            differences[s] = sum / (double) SMOOTH;
        }
        double[] sorted = differences.clone();
        Arrays.sort(sorted);
        double median = sorted[steps / 2];
        double spread = 0;
        for (double d : differences) {
            spread += Math.abs(d - median);
        }
        return spread / steps;
    }

    private static int index(long frame) {
        return (int) (frame % FRAMES);
    }

    private static int wrap(int i) {
        return i < FRAMES ? i : i - FRAMES;
    }
}
