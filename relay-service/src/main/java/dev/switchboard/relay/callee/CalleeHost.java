package dev.switchboard.relay.callee;

import dev.switchboard.core.call.Outcome;

/** What the callee gate needs of its call. */
public interface CalleeHost {

    /** Whether the model answers each turn on its own (server VAD's {@code create_response}). */
    void autoRespond(boolean on);

    /** Asks the model for one response, with these instructions ("" for none). */
    void respond(String instructions);

    /** A voicemail greeting was heard: what the profile says for answering machines. */
    void voicemailHeard();

    /** The call cannot go on: hang up with this outcome. */
    void giveUp(Outcome outcome);
}
