package dev.switchboard.relay.playback;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How much of each assistant item the caller has actually heard. Agent audio sent to Twilio is
 * followed by a named mark once about {@link #MARK_EVERY_MS} of it has gone unmarked (not after every
 * delta: fewer messages each way); Twilio returns a mark when the audio before it has played. Between
 * marks the position is computed from time: from the last mark that came back, audio plays in real
 * time, but never past the next mark not yet back. So a truncate lands where the caller really stopped
 * hearing, not at the start of the chunk being played. Played time is kept per item (not from the
 * start of the first response, the bug other bridges had), so a truncate names a point inside its item.
 */
public final class Playback {

    /** Audio sent without a mark before one is sent after it. */
    static final long MARK_EVERY_MS = 100;

    private record PendingMark(String name, String itemId, long itemEndMs) {
    }

    private final ArrayDeque<PendingMark> pending = new ArrayDeque<>();
    private final Map<String, long[]> sentAndPlayed = new HashMap<>(); // itemId -> {sentMs, playedMs}
    private final LongSupplier nanoTime;
    private String currentItem;
    private long markCounter;
    private long unmarkedMs;
    // the last mark that came back: where playback was, in which item, and when; invalid after an idle gap
    private String anchorItem;
    private long anchorMs;
    private long anchorNanos;
    private boolean anchored;

    public Playback(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Records audio sent for an item; returns the name of a mark to send after it, or null (not yet).
     * Before audio of another item, the caller marks the rest of the current one ({@link #markRest}).
     */
    public String sent(String itemId, int audioBytes) {
        if (pending.isEmpty() && unmarkedMs == 0) {
            anchored = false; // the line was idle: when this audio starts playing is not known until a mark comes back
        }
        long[] sp = sentAndPlayed.computeIfAbsent(itemId, k -> new long[2]);
        long ms = audioBytes / 8; // mu-law at 8 kHz: 8 bytes a millisecond
        sp[0] += ms;
        currentItem = itemId;
        unmarkedMs += ms;
        return unmarkedMs >= MARK_EVERY_MS ? mark(itemId) : null;
    }

    /** A mark for the audio sent without one so far (the end of a response, tones next); null if there is none. */
    public String markRest() {
        return unmarkedMs > 0 && currentItem != null ? mark(currentItem) : null;
    }

    private String mark(String itemId) {
        String name = "m" + (++markCounter);
        pending.addLast(new PendingMark(name, itemId, sentAndPlayed.get(itemId)[0]));
        unmarkedMs = 0;
        return name;
    }

    /** A mark came back: the audio before it has played. Unknown names (flushed by a clear) are ignored. */
    public void played(String markName) {
        PendingMark head = pending.peekFirst();
        if (head == null || (!head.name().equals(markName) && pending.stream().noneMatch(m -> m.name().equals(markName)))) {
            return;
        }
        // Twilio returns marks in order: everything up to this one has played too.
        PendingMark m;
        do {
            m = pending.pollFirst();
            long[] sp = sentAndPlayed.get(m.itemId());
            sp[1] = Math.max(sp[1], m.itemEndMs());
        } while (!m.name().equals(markName));
        anchorItem = m.itemId();
        anchorMs = m.itemEndMs();
        anchorNanos = nanoTime.getAsLong();
        anchored = true;
    }

    /** True while agent audio is queued at Twilio and not yet known to have played. */
    public boolean hasUnplayedAudio() {
        return !pending.isEmpty() || unmarkedMs > 0;
    }

    public String currentItem() {
        return currentItem;
    }

    public long sentMs(String itemId) {
        long[] sp = sentAndPlayed.get(itemId);
        return sp == null ? 0 : sp[0];
    }

    /** What the caller has heard of {@code itemId} by now: the last mark back, plus the time since, within the next mark. */
    public long playedMs(String itemId) {
        long[] sp = sentAndPlayed.get(itemId);
        if (sp == null) {
            return 0;
        }
        PendingMark next = pending.peekFirst();
        if (!anchored || next == null || !next.itemId().equals(itemId)) {
            return sp[1];
        }
        long from = itemId.equals(anchorItem) ? anchorMs : 0; // the next mark's audio starts where the last one ended
        long since = (nanoTime.getAsLong() - anchorNanos) / 1_000_000;
        return Math.max(sp[1], Math.min(next.itemEndMs(), from + since));
    }

    /** After a {@code clear}: the pending marks will come back, but their audio was dropped, not played. */
    public void flush() {
        pending.clear();
        unmarkedMs = 0;
        anchored = false;
    }

    /** Items whose audio is fully accounted for can be forgotten, so long calls do not grow the map. */
    public void forgetSettledItems() {
        if (pending.isEmpty() && unmarkedMs == 0) {
            sentAndPlayed.keySet().removeIf(id -> !id.equals(currentItem));
        }
    }
}
