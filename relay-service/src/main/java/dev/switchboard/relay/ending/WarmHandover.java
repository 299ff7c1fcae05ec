package dev.switchboard.relay.ending;

import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.control.WarmTransfers;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.turn.Dialogue;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A warm transfer as each of its two calls sees it. On the caller's call: the briefing call is placed
 * (off the event loop) while the agent stays with the caller; if the person does not take the call the
 * agent is told why and tells the caller; if the caller leaves first, the briefing call is hung up. On
 * the briefing call: the person's answer ({@code answer_transfer}) joins both calls in a conference, or
 * ends the briefing call with the decline on its record (Twilio's final status of that call then tells
 * the caller's relay, see {@code WarmTransferLegs}).
 *
 * <p>One per call, on the call's event loop.
 */
public final class WarmHandover {

    private static final Logger LOG = Logger.getLogger(WarmHandover.class);

    private record Pending(String target, String legSid) {
    }

    private final String callSid;
    private final CallRecorder recorder;
    private final WarmTransfers warm;
    private final CallActions actions;
    private final Dialogue dialogue;
    private final LastWords lastWords;
    private final CallExits exits;
    private final CallEvents events;
    private final Starter starter;
    private Pending pending;
    /** The caller's stream ended; whether the call is over is known once the record is read (null until then). */
    private boolean streamEnded;
    private Boolean callOver;
    /** A briefing call placed after the caller's stream ended, before the record said whether the call is over. */
    private String orphanLeg;

    /** Places the briefing call: the caller's record, agent and target are the call's own. */
    public interface Starter {
        WarmTransfers.Started start(WarmTransfers warm, String targetName, TransferTarget target, String reason, String summary);
    }

    public WarmHandover(String callSid, CallRecorder recorder, WarmTransfers warm, CallActions actions, Dialogue dialogue,
                        LastWords lastWords, CallExits exits, CallEvents events, Starter starter) {
        this.callSid = callSid;
        this.recorder = recorder;
        this.warm = warm;
        this.actions = actions;
        this.dialogue = dialogue;
        this.lastWords = lastWords;
        this.exits = exits;
        this.events = events;
        this.starter = starter;
    }

    /** Caller's call: calls {@code targetName}; false if a warm transfer is already under way. */
    public boolean start(String targetName, TransferTarget target, String reason, String summary) {
        if (pending != null) {
            return false;
        }
        pending = new Pending(targetName, null);
        events.emit("transfer_started", CallEvents.fields().put("target", targetName).put("reason", reason).put("warm", true));
        recorder.offLoop(callSid, () -> starter.start(warm, targetName, target, reason, summary)).onComplete(ar -> {
            Optional<String> leg = ar.succeeded() ? ar.result().legSid() : Optional.empty();
            if (leg.isPresent() && !streamEnded) {
                pending = new Pending(targetName, leg.get());
            } else if (leg.isPresent() && Boolean.TRUE.equals(callOver)) {
                hangUpLeg(leg.get(), "the caller left before the briefing call was placed");
            } else if (leg.isPresent()) {
                orphanLeg = leg.get(); // decided once the record says whether the call is over
            } else if (!streamEnded) {
                ended(targetName, "could not be called: " + (ar.succeeded() ? ar.result().message() : String.valueOf(ar.cause())));
            }
        });
        return true;
    }

    /**
     * Caller's call: the person did not take it ({@code result}: declined, busy, no-answer, voicemail...).
     * Also when this relay did not start it (the call moved here from a relay that was lost): the agent
     * still learns the answer.
     */
    public void ended(String targetName, String result) {
        if (pending != null && !pending.target().equals(targetName)) {
            return;
        }
        pending = null;
        LOG.infof("call %s: warm transfer to %s did not happen: %s", callSid, targetName, result);
        events.emit("transfer_failed", CallEvents.fields().put("target", targetName).put("reason", result).put("warm", true));
        dialogue.tell("system", "The warm transfer to " + targetName + " did not happen: " + result
                + ". Tell the caller, and offer to help yourself or take a message.");
        dialogue.respond("");
    }

    /**
     * Caller's stream ended. If the call is over ({@code callOver}) and the person did not take it (the
     * record would say {@code transferred}: taking it is recorded before Twilio moves the caller), a
     * briefing call still ringing or talking ends too. A stream lost without an outcome moves to another
     * relay: the briefing call goes on, and its end reaches the agent there.
     */
    public void streamEnded(boolean over) {
        streamEnded = true;
        if (pending == null || !over) {
            return;
        }
        String leg = pending.legSid();
        pending = null;
        recorder.load(callSid).onSuccess(record -> {
            callOver = !record.flatMap(r -> r.outcome()).map(o -> o.kind().equals("transferred")).orElse(false);
            String ringing = leg != null ? leg : orphanLeg;
            if (callOver && ringing != null) {
                hangUpLeg(ringing, "the caller left during the warm transfer");
            }
        });
    }

    /** Briefing call: the person's answer, acted on once the agent's next words have played. */
    public void answer(boolean accepted, String reason) {
        if (!accepted) {
            lastWords.afterNextWords(() -> exits.hangUp(new Outcome("declined", reason.isBlank() ? "the person declined" : reason,
                    Optional.empty())));
            return;
        }
        lastWords.afterNextWords(() -> recorder.offLoop(callSid, () -> warm.accept(callSid)).onComplete(ar -> {
            Optional<String> problem = ar.succeeded() ? ar.result() : Optional.of(String.valueOf(ar.cause()));
            problem.ifPresent(why -> {
                LOG.infof("call %s: the warm transfer could not be joined: %s", callSid, why);
                exits.hangUp(new Outcome("failed", "warm transfer not joined: " + why, Optional.empty()));
            });
        }));
    }

    private void hangUpLeg(String legSid, String why) {
        recorder.offLoop(callSid, () -> actions.hangUp(legSid, new Outcome("hung_up", why, Optional.empty())));
    }
}
