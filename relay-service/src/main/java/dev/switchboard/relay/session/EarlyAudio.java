package dev.switchboard.relay.session;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Caller audio that arrives while no Realtime session is open to take it (the first one opening, a
 * renewal, a wake from hold): kept in order, bounded, and sent as soon as the session is ready, so
 * the model hears what was said meanwhile. The oldest frames go first when the bound is reached.
 */
public final class EarlyAudio {

    /** Caller audio kept while the Realtime session opens: 10 s of 20 ms frames. */
    public static final int MAX_FRAMES = 500;

    private final ArrayDeque<String> frames = new ArrayDeque<>();
    private int dropped;

    public void add(String payload) {
        if (frames.size() == MAX_FRAMES) {
            frames.pollFirst();
            dropped++;
        }
        frames.addLast(payload);
    }

    /** Starts again from these frames (the pre-roll of a wake). */
    public void replaceWith(Collection<String> payloads) {
        frames.clear();
        payloads.forEach(this::add);
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Hands every frame, oldest first, to {@code sink}; returns how many were dropped since the last drain. */
    public int drainTo(Consumer<String> sink) {
        while (!frames.isEmpty()) {
            sink.accept(frames.pollFirst());
        }
        int lost = dropped;
        dropped = 0;
        return lost;
    }

    public void clear() {
        frames.clear();
    }
}
