package dev.switchboard.relay.hold;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;

/**
 * Fingerprints of what woke the agent on hold and turned out to be a recording ({@code continue_hold}).
 * A hold line plays the same announcements over and over: a new onset that matches one of these is not
 * worth a wake. Each segment starts {@link #LEAD_FRAMES} before the onset that woke the agent.
 */
public final class DismissedRecordings {

    /** Frames kept before the onset in each segment, so that a later onset found a little earlier still matches. */
    public static final int LEAD_FRAMES = 25;
    static final int MAX_SEGMENTS = 8;

    /** Where live audio matched: the segment, the segment frame that corresponds to the first live frame, and how well. */
    public record Match(int[] segment, int onsetInSegment, double bitErrorRate) {
    }

    private final Deque<int[]> segments = new ArrayDeque<>();

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    public int size() {
        return segments.size();
    }

    /** Remembers a dismissed segment (the oldest is forgotten past {@link #MAX_SEGMENTS}). */
    public void add(int[] fingerprints, int length) {
        if (length <= LEAD_FRAMES) {
            return; // nothing after the onset: nothing to recognise
        }
        if (segments.size() == MAX_SEGMENTS) {
            segments.pollFirst();
        }
        segments.addLast(Arrays.copyOf(fingerprints, length));
    }

    /** The newest segment, learnt further: replaced by its longer version. */
    public void replaceNewest(int[] fingerprints, int length) {
        if (!segments.isEmpty()) {
            segments.pollLast();
        }
        add(fingerprints, length);
    }

    /**
     * The best alignment of {@code frames} live fingerprints against every position of every segment:
     * an onset found mid-recording (after a cough on the line, say) still matches. At most 8 segments
     * of a minute (3,000 frames) against 15 live frames: about 360,000 bit counts, once per onset.
     */
    public Optional<Match> best(int[] live, int liveFrom, int frames) {
        Match best = null;
        for (int[] segment : segments) {
            for (int at = 0; at + frames <= segment.length; at++) {
                double ber = AudioFingerprint.bitErrorRate(live, liveFrom, segment, at, frames);
                if (best == null || ber < best.bitErrorRate()) {
                    best = new Match(segment, at, ber);
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
