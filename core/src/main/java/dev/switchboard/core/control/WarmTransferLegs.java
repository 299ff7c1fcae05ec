package dev.switchboard.core.control;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The end of a warm transfer's briefing leg, from Twilio's final status of that call: unless the person
 * took the call, the caller's relay is told why not, so the agent tells the caller. The final status is
 * the one place every ending passes through (busy, no answer, voicemail, a decline, a hang-up mid-briefing).
 */
public final class WarmTransferLegs {

    private static final Logger LOG = Logger.getLogger(WarmTransferLegs.class);

    private final CallStore calls;
    private final RelayClient relays;

    public WarmTransferLegs(CallStore calls, RelayClient relays) {
        this.calls = calls;
        this.relays = relays;
    }

    /** {@code leg} reached its final Twilio status {@code status}; nothing happens for a call that is not a briefing leg. */
    public void ended(CallRecord leg, String status) {
        String parentSid = leg.variables().get(WarmTransfers.PARENT);
        if (parentSid == null || leg.outcome().map(o -> o.kind().equals("transferred")).orElse(false)) {
            return;
        }
        String result = why(leg, status);
        Optional<CallRecord> parent = calls.find(parentSid);
        if (parent.isEmpty() || parent.get().outcome().isPresent() || parent.get().relayAddress().isEmpty()) {
            LOG.infof("call %s: warm transfer ended (%s) after the caller left", parentSid, result);
            return;
        }
        CallActionResult told = relays.warmTransferEnded(parent.get().relayAddress().get(), parentSid,
                leg.variables().getOrDefault(WarmTransfers.TARGET, ""), result);
        if (!told.ok()) {
            LOG.warnf("call %s: the relay was not told the warm transfer ended (%s): %s", parentSid, result, told.message());
        }
    }

    static String why(CallRecord leg, String status) {
        return leg.outcome().map(o -> switch (o.kind()) {
            case "machine" -> "voicemail";
            case "declined" -> "declined: " + o.reason();
            case "screened" -> "a call screener answered";
            default -> null;
        }).orElseGet(() -> switch (status) {
            case "busy", "no-answer", "failed", "canceled" -> status;
            default -> "the person hung up before taking the call";
        });
    }
}
