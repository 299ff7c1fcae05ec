package dev.switchboard.relay.ending;

import dev.switchboard.core.agent.FallbackSettings;
import dev.switchboard.core.agent.TransferSettings;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.SavedConversation;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.store.CallRecorder;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The two ways the relay ends a call on purpose, both over Twilio's REST API (off the event loop):
 * a transfer (Twilio then stops the stream, and that stop is the transfer, not a hang-up; a failed
 * transfer comes back to the agent) and a hang-up (exactly once; the call then ends here with its
 * outcome on the record).
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class CallExits {

    private static final Logger LOG = Logger.getLogger(CallExits.class);

    /** What a failed transfer does: the agent tells the caller, if the call is still talking to a model. */
    public interface TransferFailed {
        void failed(String targetName, String why);
    }

    private final String callSid;
    private final TransferSettings directory;
    private final FallbackSettings fallback;
    private final CallRecorder recorder;
    private final CallActions actions;
    private final Function<String, SavedConversation> snapshot;
    private final Consumer<Outcome> end;
    private final TransferFailed onFailure;
    private final CallEvents events;
    private String transferringTo;
    private boolean hangingUp;

    /**
     * @param snapshot the conversation to save, given why it is saved
     * @param end      ends the call on this relay with an outcome (closing Twilio's socket)
     */
    public CallExits(String callSid, TransferSettings directory, FallbackSettings fallback, CallRecorder recorder, CallActions actions,
                     Function<String, SavedConversation> snapshot, Consumer<Outcome> end, TransferFailed onFailure, CallEvents events) {
        this.callSid = callSid;
        this.directory = directory;
        this.fallback = fallback;
        this.recorder = recorder;
        this.actions = actions;
        this.snapshot = snapshot;
        this.end = end;
        this.onFailure = onFailure;
        this.events = events;
    }

    /** A transfer to a target of the agent's directory, by name (a menu key, a webhook's answer). */
    public void transfer(String targetName, String reason) {
        Optional<TransferTarget> target = directory.resolve(targetName);
        if (target.isEmpty()) {
            LOG.warnf("call %s: transfer target '%s' is not in the agent's directory", callSid, targetName);
            return;
        }
        transfer(targetName, target.get(), reason, "");
    }

    public void transfer(String targetName, TransferTarget target, String reason, String summary) {
        transferringTo = target.address();
        // if nobody answers, the caller comes back to a new session (perhaps on another relay) that starts from this
        recorder.saveConversation(callSid, snapshot.apply("Transferred to " + targetName + " (" + reason + ")"));
        recorder.offLoop(callSid, () -> actions.handle(new CallActionRequest(callSid, "transfer", targetName, summary, reason)))
                .onComplete(ar -> {
                    CallActionResult result = ar.succeeded() ? ar.result() : null;
                    if (result != null && result.ok()) {
                        LOG.infof("call %s: handed to %s; Twilio stops the stream next", callSid, shown(target));
                        events.emit("transfer_started", CallEvents.fields().put("target", targetName).put("reason", reason));
                        return;
                    }
                    transferringTo = null;
                    String why = result != null ? result.message() : String.valueOf(ar.cause());
                    LOG.warnf("call %s: transfer to %s failed: %s", callSid, shown(target), why);
                    onFailure.failed(targetName, why);
                });
    }

    public void hangUp(String reason) {
        hangUp(new Outcome("hung_up", reason, Optional.empty()));
    }

    /** Ends the call over REST (exactly once), then here, with {@code outcome} on the record. */
    public void hangUp(Outcome outcome) {
        if (hangingUp) {
            return;
        }
        hangingUp = true;
        recorder.offLoop(callSid, () -> actions.hangUp(callSid, outcome))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.errorf("call %s: the REST hang-up failed (%s); closing the stream, which ends the call",
                                callSid, ar.cause().getMessage());
                    }
                    end.accept(outcome);
                });
    }

    /**
     * The agent cannot go on (no Realtime session could be had): the caller hears the profile's apology
     * and goes to its fallback number, if any, instead of silence and then a dead line. Exactly once;
     * the call then ends here with {@code outcome}.
     */
    public void fallBack(Outcome outcome) {
        if (hangingUp) {
            return;
        }
        hangingUp = true;
        LOG.warnf("call %s: %s; the caller hears the apology%s", callSid, outcome.reason(),
                fallback.transferTo().isPresent() ? " and goes to the fallback number" : "");
        recorder.offLoop(callSid, () -> actions.fallBack(callSid, outcome, fallback))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.errorf("call %s: the fallback could not be given to Twilio (%s); closing the stream",
                                callSid, ar.cause().getMessage());
                    }
                    end.accept(outcome);
                });
    }

    /** Twilio stopped the stream: the outcome is the transfer under way, if any, else {@code otherwise}. */
    public Outcome stopped(Outcome otherwise) {
        return transferringTo == null ? otherwise
                : new Outcome("transferred", "handed to a person", Optional.of(transferringTo));
    }

    /** A number is personal data (a caller may give their own): logs keep its last four digits. */
    private static String shown(TransferTarget target) {
        return target.address().startsWith("sip:") ? target.address() : TwilioWebhooks.mask(target.address());
    }

    /** A transfer or hang-up is under way: the agent is not waiting for an answer. */
    public boolean leaving() {
        return hangingUp || transferringTo != null;
    }
}
