package dev.switchboard.relay.playback;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * How much of each assistant item the caller has actually heard. Every chunk of agent audio sent to
 * Twilio is followed by a named mark; Twilio returns the mark when the audio before it has played.
 * Played time is kept per item (not from the start of the first response, the bug other bridges had),
 * so a truncate always names a point inside the item it truncates.
 */
public final class Playback {

    private record PendingMark(String name, String itemId, long itemEndMs) {
    }

    private final ArrayDeque<PendingMark> pending = new ArrayDeque<>();
    private final Map<String, long[]> sentAndPlayed = new HashMap<>(); // itemId -> {sentMs, playedMs}
    private String currentItem;
    private long markCounter;

    /** Records audio sent for an item; returns the name of the mark to send after it. */
    public String sent(String itemId, int audioBytes) {
        long[] sp = sentAndPlayed.computeIfAbsent(itemId, k -> new long[2]);
        sp[0] += audioBytes / 8; // mu-law at 8 kHz: 8 bytes a millisecond
        currentItem = itemId;
        String name = "m" + (++markCounter);
        pending.addLast(new PendingMark(name, itemId, sp[0]));
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
    }

    /** True while agent audio is queued at Twilio and not yet played. */
    public boolean hasUnplayedAudio() {
        return !pending.isEmpty();
    }

    public String currentItem() {
        return currentItem;
    }

    public long sentMs(String itemId) {
        long[] sp = sentAndPlayed.get(itemId);
        return sp == null ? 0 : sp[0];
    }

    public long playedMs(String itemId) {
        long[] sp = sentAndPlayed.get(itemId);
        return sp == null ? 0 : sp[1];
    }

    /** After a {@code clear}: the pending marks will come back, but their audio was dropped, not played. */
    public void flush() {
        pending.clear();
    }

    /** Items whose audio is fully accounted for can be forgotten, so long calls do not grow the map. */
    public void forgetSettledItems() {
        if (pending.isEmpty()) {
            sentAndPlayed.keySet().removeIf(id -> !id.equals(currentItem));
        }
    }
}
