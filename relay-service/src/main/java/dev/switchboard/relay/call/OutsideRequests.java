package dev.switchboard.relay.call;

import dev.switchboard.relay.call.CallSession.State;
import dev.switchboard.relay.events.CallEvents;

/**
 * What other processes ask of a call this relay holds: call-action, the console and the WebSocket
 * API's commands ({@code say}, {@code note}), and Twilio's webhooks relayed by the functions (the
 * answering-machine verdict, the end of a warm transfer's briefing call). Each runs on the call's event
 * loop and says whether the call was live here to take it.
 */
public final class OutsideRequests {

    private final CallSession session;

    OutsideRequests(CallSession session) {
        this.session = session;
    }

    /** The agent speaks {@code text} (from {@code call-action say}); false if the call is not live here. */
    public boolean say(String text) {
        if (session.state() != State.ACTIVE) {
            return false;
        }
        session.live().responses().respond("Say exactly this to the caller, then carry on with the conversation: " + text);
        return true;
    }

    /**
     * A note for the agent ({@code call-action note}, a supervisor in the console): added to the
     * conversation, without a response; on hold it waits in the saved conversation for the next session.
     */
    public boolean note(String text) {
        String note = "A supervisor watching this call adds a note (do not read it out): " + text;
        switch (session.state()) {
            case ACTIVE -> session.live().responses().tell("system", note);
            case ON_HOLD -> session.conversation().add("system", note);
            default -> {
                return false;
            }
        }
        session.events().emit("note_added", CallEvents.fields().put("text", text));
        return true;
    }

    /** Twilio's answering machine verdict on a call the agent placed (see {@link LiveCall#onAnsweredBy}). */
    public void answeredBy(String answeredBy) {
        if (session.state() != State.ENDED && session.live() != null) {
            session.live().onAnsweredBy(answeredBy);
        }
    }

    /** A warm transfer of this call ended without the person taking it; false if the call is not live here. */
    public boolean warmTransferEnded(String target, String result) {
        if (session.state() == State.ENDED || session.live() == null) {
            return false;
        }
        session.live().warm().ended(target, result);
        return true;
    }
}
