package dev.switchboard.relay.turn;

import dev.switchboard.relay.ending.LastWords;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.realtime.RealtimeSender;
import java.util.ArrayDeque;

/**
 * The turns of the conversation with the model: whether a response is in flight, the one the caller
 * interrupted (its late audio is dropped), a follow-up owed once the current response ends, responses
 * queued behind it, and whether the caller's last turn still waits for its answer. The model accepts
 * one response at a time, so everything that wants the agent to speak comes through here.
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class Responses implements Dialogue {

    /** A response to request once the current one is done; {@code lastWords}: an action waits for it. */
    private record Queued(String instructions, boolean lastWords) {
    }

    private final RealtimeSender model;
    private final ConversationLog conversation;
    private final LastWords lastWords;
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private boolean active;
    private String activeId;
    private String suppressedId;
    private boolean followUpOwed;
    private boolean callerTurnUnanswered;
    private long lastCallerTurnNanos;

    public Responses(RealtimeSender model, ConversationLog conversation, LastWords lastWords) {
        this.model = model;
        this.conversation = conversation;
        this.lastWords = lastWords;
    }

    @Override
    public void tell(String role, String text) {
        conversation.add(role, text);
        model.send(ClientEvents.conversationItem(role, text));
    }

    @Override
    public void respond(String instructions) {
        request(new Queued(instructions, false));
    }

    @Override
    public void followUp() {
        if (active) {
            followUpOwed = true;
        } else {
            requestFollowUp();
        }
    }

    @Override
    public void sayThen(String text, Runnable action) {
        if (text.isBlank()) {
            action.run();
            return;
        }
        lastWords.afterText(action);
        request(new Queued(Dialogue.sayExactly(text), true));
    }

    /** {@code response.created}: the caller's last turn is being answered. */
    public void created(String responseId) {
        active = true;
        callerTurnUnanswered = false;
        activeId = responseId;
    }

    /** {@code response.done}: the model is free again. */
    public void done(String responseId) {
        active = false;
        if (responseId.equals(suppressedId)) {
            suppressedId = null;
        }
    }

    /** After {@link #done}: the follow-up owed, else the next queued response. */
    public void next() {
        if (followUpOwed) {
            requestFollowUp();
        } else if (!queued.isEmpty()) {
            send(queued.pollFirst());
        }
    }

    /** The caller interrupted: the response in flight is cancelled and its late audio will be dropped. */
    public void cancelForBargeIn() {
        if (active) {
            suppressedId = activeId;
            model.send(ClientEvents.responseCancel());
        }
    }

    /** True for audio of a response the caller interrupted, still in flight. */
    public boolean suppressed(String responseId) {
        return suppressedId != null && suppressedId.equals(responseId);
    }

    /** {@code input_audio_buffer.committed}: the caller finished a turn. */
    public void callerTurnCommitted() {
        callerTurnUnanswered = true;
        lastCallerTurnNanos = System.nanoTime();
    }

    /** The caller spoke less than {@code settleNanos} ago and its turn may still be unanswered. */
    public boolean callerTurnFresh(boolean wordsAwaited, long settleNanos) {
        return (callerTurnUnanswered || wordsAwaited) && System.nanoTime() - lastCallerTurnNanos < settleNanos;
    }

    public boolean active() {
        return active;
    }

    /** Nothing more the model was asked for is owed (a voicemail greeting replaces it). */
    public void dropOwed() {
        queued.clear();
        followUpOwed = false;
    }

    /** The session closed (hold, renewal): nothing of it is in flight any longer. */
    public void reset() {
        active = false;
        callerTurnUnanswered = false;
        suppressedId = null;
        dropOwed();
    }

    private void request(Queued response) {
        if (active) {
            queued.addLast(response);
        } else {
            send(response);
        }
    }

    private void send(Queued response) {
        if (response.lastWords()) {
            lastWords.lastWordsRequested();
        }
        model.send(response.instructions().isEmpty() ? ClientEvents.responseCreate()
                : ClientEvents.responseCreate(response.instructions()));
    }

    private void requestFollowUp() {
        followUpOwed = false;
        lastWords.followUpRequested();
        model.send(ClientEvents.responseCreate());
    }
}
