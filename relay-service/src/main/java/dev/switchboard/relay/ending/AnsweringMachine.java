package dev.switchboard.relay.ending;

import dev.switchboard.core.agent.VoicemailSettings;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.turn.Responses;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Twilio's answering machine verdict on a call the agent placed. A person ({@code human},
 * {@code unknown}) changes nothing; an automated system ({@code machine_end_other}: a phone tree's long
 * prompts) is not a mailbox: the model is told and the agent stays on the line; a machine or a fax gets
 * what the profile says, once: hang up at once, or (after the beep, which detection with message end
 * waits for) the message, then hang up.
 */
public final class AnsweringMachine {

    private static final Logger LOG = Logger.getLogger(AnsweringMachine.class);
    static final String AUTOMATED_SYSTEM = "machine_end_other";

    private final String callSid;
    private final VoicemailSettings voicemail;
    private final CallEvents events;
    private final CallExits exits;
    private final Responses responses;
    private final Runnable stopAgent;
    private final BooleanSupplier live;
    private boolean handled;

    /**
     * @param stopAgent stops whatever the agent was saying to the greeting
     * @param live      the call is talking to a model, so a message can be left
     */
    public AnsweringMachine(String callSid, VoicemailSettings voicemail, CallEvents events, CallExits exits,
                            Responses responses, Runnable stopAgent, BooleanSupplier live) {
        this.callSid = callSid;
        this.voicemail = voicemail;
        this.events = events;
        this.exits = exits;
        this.responses = responses;
        this.stopAgent = stopAgent;
        this.live = live;
    }

    /** Twilio's verdict ({@code AnsweredBy}). */
    public void verdict(String answeredBy) {
        handle(answeredBy, "answered by " + answeredBy, "twilio");
    }

    /** A voicemail greeting was heard (the words, not Twilio, said so) and is over: as a machine whose beep has sounded. */
    public void greetingHeard() {
        handle("machine_end_beep", "heard a voicemail greeting", "transcript");
    }

    private void handle(String answeredBy, String how, String source) {
        boolean machine = answeredBy.startsWith("machine") || answeredBy.equals("fax");
        if (handled || !machine) {
            return;
        }
        handled = true;
        events.emit("answering_machine", CallEvents.fields().put("answered_by", answeredBy).put("source", source));
        if (answeredBy.equals(AUTOMATED_SYSTEM)) {
            // Twilio's word for long automated prompts (a phone tree), not a mailbox: the agent stays on
            LOG.infof("call %s: answered by an automated system; the agent stays on the line", callSid);
            responses.tell("system", "An automated system answered (a phone menu or recorded prompts), not a person and"
                    + " not voicemail. Listen to its options; choose with send_dtmf, and wait on hold if it puts you on hold.");
            return;
        }
        if (!voicemail.leavesMessage() || answeredBy.equals("fax") || !live.getAsBoolean()) {
            LOG.infof("call %s: %s; hanging up", callSid, how);
            exits.hangUp(new Outcome("machine", how + ": hung up", Optional.empty()));
            return;
        }
        LOG.infof("call %s: %s; leaving the message", callSid, how);
        stopAgent.run();
        responses.dropOwed();
        responses.sayThen(voicemail.message(),
                () -> exits.hangUp(new Outcome("machine", how + ": left a message", Optional.empty())));
    }
}
