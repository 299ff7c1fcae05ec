package dev.switchboard.core.control;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStatus;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.NewCall;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.call.Transfer;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.core.twilio.DialTwiml;
import dev.switchboard.core.webhook.RelayTwiml;
import dev.switchboard.core.webhook.TwilioWebhooks;
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

    private final Settings settings;
    private final CallStore calls;
    private final CallControl twilio;
    private final StreamTokens tokens;
    private final Clock clock;

    public WarmTransfers(Settings settings, CallStore calls, CallControl twilio, StreamTokens tokens, Clock clock) {
        this.settings = settings;
        this.calls = calls;
        this.twilio = twilio;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Calls {@code target} for the caller of {@code caller}: the briefing leg. Blocking (Twilio's REST API). */
    public Started start(CallRecord caller, AgentProfile agent, String targetName, TransferTarget target, String reason, String summary) {
        String from = !agent.transfer().callerId().isBlank() ? agent.transfer().callerId()
                : caller.direction() == Direction.INBOUND ? caller.to() : caller.from();
        String token = tokens.newToken();
        Instant now = clock.instant();
        String twiml = RelayTwiml.connect(settings.relayPublicUrl().toString(), settings.publicBaseUrl().toString(), token,
                agent.name(), Direction.OUTBOUND);
        String legSid;
        try {
            legSid = twilio.place(target.number(), from, twiml, settings.publicBaseUrl() + TwilioWebhooks.STATUS,
                    Optional.of(settings.publicBaseUrl() + TwilioWebhooks.AMD), false);
        } catch (RuntimeException e) {
            LOG.warnf("call %s: the warm transfer's call to %s was refused by Twilio: %s", caller.callSid(), targetName, e.getMessage());
            return new Started(Optional.empty(), "Twilio refused the call to " + targetName + ": " + e.getMessage());
        }
        calls.create(new NewCall(legSid, Direction.OUTBOUND, from, target.number(), agent.name(), CallStatus.QUEUED,
                StreamTokens.hash(token), now.plus(settings.streamTokenTtl()).plusSeconds(600)), now);
        calls.saveSetup(legSid, Map.of(PARENT, caller.callSid(), TARGET, targetName), briefing(targetName, reason, summary), now);
        LOG.infof("call %s: warm transfer to '%s', briefing call %s placed", caller.callSid(), targetName, legSid);
        return new Started(Optional.of(legSid), "calling " + targetName);
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
