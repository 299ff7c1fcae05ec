package dev.switchboard.core.call;

import java.time.Instant;
import java.util.List;

/**
 * The call's {@code CONTEXT} item: the conversation as the model saw it, saved when the Realtime
 * session closes for hold (or is renewed), so that the next session, on any relay, starts from it.
 *
 * @param items   conversation items in order (assistant and user turns, keypad entries, system notes,
 *                tool calls and their results), secrets already masked
 * @param step    the flow step in force, empty for none
 * @param summary a short plain-text summary (the task, why the call is on hold, the last turns)
 * @param savedAt when it was saved
 */
public record SavedConversation(List<Item> items, String step, String summary, Instant savedAt) {

    public static final SavedConversation NONE = new SavedConversation(List.of(), "", "", Instant.EPOCH);

    /** {@code role}: user, assistant or system. */
    public record Item(String role, String text) {
    }

    public SavedConversation {
        items = List.copyOf(items);
        step = step == null ? "" : step;
        summary = summary == null ? "" : summary;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
