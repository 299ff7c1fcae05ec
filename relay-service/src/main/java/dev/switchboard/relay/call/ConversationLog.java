package dev.switchboard.relay.call;

import dev.switchboard.core.call.SavedConversation;
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
final class ConversationLog {

    /** Items kept (oldest dropped first): enough for a long call, small enough for one DynamoDB item. */
    static final int MAX_ITEMS = 200;
    /** Items sent into a new session: the recent conversation, which is what the model needs to go on. */
    static final int MAX_RESTORED = 60;
    static final int MAX_TEXT = 2000;

    private final ArrayDeque<SavedConversation.Item> items = new ArrayDeque<>();

    void add(String role, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        if (items.size() == MAX_ITEMS) {
            items.pollFirst();
        }
        String t = text.trim();
        items.addLast(new SavedConversation.Item(role, t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) : t));
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /** The items to seed a new session with, oldest first. */
    List<SavedConversation.Item> recent() {
        List<SavedConversation.Item> all = new ArrayList<>(items);
        return all.subList(Math.max(0, all.size() - MAX_RESTORED), all.size());
    }

    void replaceWith(List<SavedConversation.Item> saved) {
        items.clear();
        saved.forEach(i -> add(i.role(), i.text()));
    }

    SavedConversation snapshot(String step, String why, String task, Instant now) {
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
        return new SavedConversation(List.copyOf(items), step, summary.toString(), now);
    }
}
