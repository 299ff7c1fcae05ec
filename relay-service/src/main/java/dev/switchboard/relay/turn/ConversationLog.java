package dev.switchboard.relay.turn;

import dev.switchboard.core.call.SavedConversation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation as the model has seen it on this call, across sessions: the turns of both sides,
 * keypad entries, system notes and tool results, in order. Saved to the call's {@code CONTEXT} item
 * when a session closes for hold or is renewed, and used to seed the next session. Secrets never get
 * here in clear: the session masks them before they are written or sent.
 */
public final class ConversationLog {

    /** Items kept (oldest dropped first): enough for a long call, small enough for one DynamoDB item. */
    static final int MAX_ITEMS = 200;
    /** Items sent into a new session: the recent conversation, which is what the model needs to go on. */
    static final int MAX_RESTORED = 60;
    static final int MAX_TEXT = 2000;
    /** What a saved conversation may hold, in bytes of text (the summary and keys take the rest of the item). */
    static final int MAX_SAVED_BYTES = 300_000;

    /**
     * One place in the conversation. A caller's turn is placed when its audio is committed and filled
     * when its transcript arrives, which the Realtime API sends asynchronously (often after the
     * model's answer): so the turns stay in the order they were spoken.
     */
    private static final class Entry {
        final String role;
        final String itemId;
        String text;

        Entry(String role, String itemId, String text) {
            this.role = role;
            this.itemId = itemId;
            this.text = text;
        }
    }

    private final ArrayDeque<Entry> items = new ArrayDeque<>();

    public void add(String role, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        append(new Entry(role, null, clip(text)));
    }

    /** Keeps the place of a caller's turn whose transcript has not arrived yet. */
    public void reserveCallerTurn(String itemId) {
        if (itemId != null && !itemId.isEmpty()) {
            append(new Entry("user", itemId, null));
        }
    }

    /** The caller's words: in their reserved place when there is one, else at the end. */
    public void addCallerTurn(String itemId, String text) {
        if (text == null || text.isBlank()) {
            dropReservation(itemId);
            return;
        }
        if (itemId != null) {
            for (Entry e : items) {
                if (itemId.equals(e.itemId) && e.text == null) {
                    e.text = clip(text);
                    return;
                }
            }
        }
        add("user", text);
    }

    /** A caller's turn still waits for its words: a session closed now would not pass them on. */
    public boolean awaitsCallerWords() {
        for (Entry e : items) {
            if (e.text == null) {
                return true;
            }
        }
        return false;
    }

    /** The session those turns belonged to is gone, and their transcripts with it: no holes are kept. */
    public void forgetUnheardTurns() {
        items.removeIf(e -> e.text == null);
    }

    /** A turn that will get no transcript (transcription failed) leaves no hole. */
    public void dropReservation(String itemId) {
        if (itemId != null) {
            items.removeIf(e -> itemId.equals(e.itemId) && e.text == null);
        }
    }

    private void append(Entry entry) {
        if (items.size() == MAX_ITEMS) {
            items.pollFirst();
        }
        items.addLast(entry);
    }

    private static String clip(String text) {
        String t = text.trim();
        return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) : t;
    }

    private List<SavedConversation.Item> all() {
        List<SavedConversation.Item> out = new ArrayList<>(items.size());
        for (Entry e : items) {
            if (e.text != null) {
                out.add(new SavedConversation.Item(e.role, e.text));
            }
        }
        return out;
    }

    /** The items to seed a new session with, oldest first. */
    public List<SavedConversation.Item> recent() {
        List<SavedConversation.Item> all = all();
        return all.subList(Math.max(0, all.size() - MAX_RESTORED), all.size());
    }

    public void replaceWith(List<SavedConversation.Item> saved) {
        items.clear();
        saved.forEach(i -> add(i.role(), i.text()));
    }

    public SavedConversation snapshot(String step, String why, String task, Instant now) {
        StringBuilder summary = new StringBuilder(why);
        if (!task.isBlank()) {
            summary.append(". Task: ").append(task.length() > 300 ? task.substring(0, 300) + "…" : task);
        }
        List<SavedConversation.Item> last = recent();
        for (int i = Math.max(0, last.size() - 3); i < last.size(); i++) {
            String text = last.get(i).text();
            summary.append(i == Math.max(0, last.size() - 3) ? ". Last: " : " / ")
                    .append(last.get(i).role()).append(": ").append(text.length() > 120 ? text.substring(0, 120) + "…" : text);
        }
        return new SavedConversation(newestWithin(last, MAX_SAVED_BYTES), step, summary.toString(), now);
    }

    /** The newest items whose text fits in {@code budget} bytes: the saved item must stay under DynamoDB's 400 KB. */
    static List<SavedConversation.Item> newestWithin(List<SavedConversation.Item> items, int budget) {
        int first = items.size();
        int used = 0;
        while (first > 0) {
            int size = items.get(first - 1).text().getBytes(StandardCharsets.UTF_8).length + 32;
            if (used + size > budget) {
                break;
            }
            used += size;
            first--;
        }
        return List.copyOf(items.subList(first, items.size()));
    }
}
