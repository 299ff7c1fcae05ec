package dev.switchboard.core.control;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.Transfer;
import dev.switchboard.core.outbound.OutboundCalls;
import dev.switchboard.core.outbound.OutboundRequest;
import dev.switchboard.core.outbound.OutboundResult;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.core.twilio.DialTwiml;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A warm transfer with Twilio's own primitives. The caller stays on their stream with the agent while
 * a second call (the briefing leg) rings the person: an outbound call of the same agent whose task is
 * the briefing, answered by the relay like any other, with its own media stream. If the person takes
 * the call, both calls are moved into one conference ({@code <Dial><Conference>}) and the agent leaves
 * both; if not, the leg's final status tells the caller's relay why ({@link WarmTransferLegs}).
 */
public final class WarmTransfers {

    private static final Logger LOG = Logger.getLogger(WarmTransfers.class);
    /** Variables on the briefing leg's record: the caller's CallSid and the directory name of the person. */
    public static final String PARENT = "warm_transfer_for";
    public static final String TARGET = "warm_transfer_target";

    /** The leg placed, or why not. */
    public record Started(Optional<String> legSid, String message) {
    }

    private final OutboundCalls outbound;
    private final CallStore calls;
    private final CallControl twilio;
    private final Clock clock;

    public WarmTransfers(OutboundCalls outbound, CallStore calls, CallControl twilio, Clock clock) {
        this.outbound = outbound;
        this.calls = calls;
        this.twilio = twilio;
        this.clock = clock;
    }

    /** Calls {@code target} for the caller of {@code caller}: the briefing leg, placed as any outbound call. Blocking. */
    public Started start(CallRecord caller, AgentProfile agent, String targetName, TransferTarget target, String reason, String summary) {
        String from = !agent.transfer().callerId().isBlank() ? agent.transfer().callerId()
                : caller.direction() == Direction.INBOUND ? caller.to() : caller.from();
        OutboundResult placed = outbound.place(new OutboundRequest(target.number(), from, agent.name(),
                briefing(targetName, reason, summary), null, true), Map.of(PARENT, caller.callSid(), TARGET, targetName));
        if (!placed.ok()) {
            LOG.warnf("call %s: the warm transfer's call to %s was not placed: %s", caller.callSid(), targetName, placed.message());
            return new Started(Optional.empty(), placed.message());
        }
        LOG.infof("call %s: warm transfer to '%s', briefing call %s placed", caller.callSid(), targetName, placed.callSid());
        return new Started(Optional.of(placed.callSid()), "calling " + targetName);
    }

    /**
     * The person on the briefing leg takes the call: the caller's record gets the outcome first (so the
     * end of its stream decides nothing), then both calls join one conference. Empty if it happened, else
     * why not (the caller left, say). Blocking.
     */
    public Optional<String> accept(String legSid) {
        Instant now = clock.instant();
        Optional<CallRecord> leg = calls.find(legSid);
        String parentSid = leg.map(l -> l.variables().get(PARENT)).orElse(null);
        if (parentSid == null) {
            return Optional.of("call " + legSid + " is not the briefing call of a warm transfer");
        }
        Optional<CallRecord> parent = calls.find(parentSid);
        if (parent.isEmpty() || parent.get().outcome().isPresent() || parent.get().status().isFinal()) {
            return Optional.of("the caller is no longer on the line");
        }
        String summary = leg.get().task().orElse("");
        if (!calls.startTransfer(parentSid, new Transfer(leg.get().to(), "warm transfer taken by "
                + leg.get().variables().get(TARGET), summary, Optional.empty()), now)) {
            return Optional.of("the caller is no longer on the line");
        }
        String conference = DialTwiml.conference("warm-" + parentSid);
        if (!twilio.redirect(parentSid, conference)) {
            calls.cancelTransfer(parentSid, "the caller hung up as the transfer was taken", now);
            return Optional.of("the caller is no longer on the line");
        }
        calls.completeTransfer(parentSid, "answered", now);
        calls.finish(legSid, new Outcome("transferred", "briefed; joined the caller", Optional.of(parentSid)), now);
        twilio.redirect(legSid, conference);
        LOG.infof("call %s: warm transfer taken; the caller and %s meet in conference warm-%s", parentSid, legSid, parentSid);
        return Optional.empty();
    }

    private static String briefing(String targetName, String reason, String summary) {
        return "This call is a warm transfer: you are calling a colleague (" + targetName + ") to hand over a caller who is"
                + " waiting on another line. When a person answers, greet them, brief them in two or three sentences ("
                + (summary.isBlank() ? "the caller needs help" : summary) + (reason.isBlank() ? "" : " Reason: " + reason + ".")
                + "), then ask whether they can take the call now. If they agree, say you are connecting them and call"
                + " answer_transfer with accepted true. If they decline or cannot, thank them and call answer_transfer with"
                + " accepted false and their reason. Speak only to a person.";
    }
}
