package dev.switchboard.core.control;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.agent.FallbackSettings;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.call.Transfer;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.core.twilio.DialTwiml;
import dev.switchboard.core.twilio.FallbackTwiml;
import dev.switchboard.core.webhook.RelayTwiml;
import dev.switchboard.core.webhook.TwilioWebhooks;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Transfer, hang up or speak on any live call, from any process, knowing only its CallSid: transfer
 * and hang-up go to Twilio's REST API from the call record alone; {@code say} goes to the relay that
 * holds the call. Used by the {@code call-action} Lambda and the local stack's HTTP route.
 */
public final class CallActions {

    private static final Logger LOG = Logger.getLogger(CallActions.class);
    static final Set<String> ACTIONS = Set.of("transfer", "hangup", "say", "note");
    static final int MAX_SAY_CHARS = 1000;

    private final CallStore calls;
    private final CallControl twilio;
    private final StreamTokens tokens = new StreamTokens(new SecureRandom());
    private final AgentProfiles agents;
    private final RelayClient relays;
    private final Settings settings;
    private final Clock clock;

    public CallActions(CallStore calls, CallControl twilio, AgentProfiles agents, RelayClient relays, Settings settings, Clock clock) {
        this.calls = calls;
        this.twilio = twilio;
        this.agents = agents;
        this.relays = relays;
        this.settings = settings;
        this.clock = clock;
    }

    public CallActionResult handle(CallActionRequest r) {
        if (r == null || r.callSid() == null || !r.callSid().matches("CA[0-9a-fA-F]{32}")) {
            return CallActionResult.error(r, "callSid is missing or is not a Twilio CallSid (CA + 32 hex digits)");
        }
        if (r.action() == null || !ACTIONS.contains(r.action())) {
            return CallActionResult.error(r, "action must be one of transfer, hangup, say, note");
        }
        Optional<CallRecord> found = calls.find(r.callSid());
        if (found.isEmpty()) {
            return CallActionResult.error(r, "unknown call " + r.callSid());
        }
        CallRecord call = found.get();
        if (call.status().isFinal() || call.outcome().isPresent()) {
            String how = call.outcome().map(o -> o.kind() + " (" + o.reason() + ")").orElse(call.status().wire());
            return CallActionResult.error(r, "the call is over: " + how);
        }
        String reason = r.reason() == null || r.reason().isBlank() ? "requested through call-action" : r.reason();
        return switch (r.action()) {
            case "transfer" -> transfer(r, call, reason);
            case "hangup" -> hangUp(r, reason);
            case "note" -> toRelay(r, call, relays::note);
            default -> toRelay(r, call, relays::say);
        };
    }

    private CallActionResult transfer(CallActionRequest r, CallRecord call, String reason) {
        AgentProfile agent = agents.byNameOrDefault(call.agent());
        Optional<TransferTarget> target = agent.transfer().resolve(r.target());
        if (target.isEmpty()) {
            return CallActionResult.error(r, "target '" + r.target() + "' is not in agent '" + agent.name()
                    + "''s transfer directory " + agent.transfer().targets().keySet()
                    + (agent.transfer().allowAnyNumber() ? " and is not an E.164 number" : ""));
        }
        String summary = summarize(call);
        if (!calls.startTransfer(r.callSid(), new Transfer(target.get().address(), reason, summary, Optional.empty()), clock.instant())) {
            return CallActionResult.error(r, "the call ended before the transfer could start");
        }
        String twiml = DialTwiml.dial(target.get(), agent.transfer(), settings.publicBaseUrl() + TwilioWebhooks.DIAL_RESULT, summary);
        try {
            if (!twilio.redirect(r.callSid(), twiml)) {
                calls.cancelTransfer(r.callSid(), "call already over", clock.instant());
                return CallActionResult.error(r, "Twilio says the call is already over");
            }
        } catch (RuntimeException e) {
            calls.cancelTransfer(r.callSid(), "Twilio refused the dial: " + e.getMessage(), clock.instant());
            LOG.warnf("transfer of %s refused by Twilio: %s", r.callSid(), e.getMessage());
            return CallActionResult.error(r, "Twilio refused the transfer: " + e.getMessage());
        }
        return CallActionResult.ok(r, "transferring to " + target.get().address());
    }

    private CallActionResult hangUp(CallActionRequest r, String reason) {
        return hangUp(r.callSid(), new Outcome("hung_up", reason, Optional.empty()))
                ? CallActionResult.ok(r, "hung up") : CallActionResult.ok(r, "the call had already ended");
    }

    /**
     * Records {@code outcome} (unless the call already has one) and then hangs up over REST, so the
     * stream's {@code stop} that follows never decides how the call ended. False if the call was already over.
     */
    public boolean hangUp(String callSid, Outcome outcome) {
        calls.finish(callSid, outcome, clock.instant());
        return twilio.hangUp(callSid);
    }

    /**
     * The agent cannot take the call: {@code outcome} is recorded, then Twilio is given the profile's
     * apology and fallback number (or the end of the call) in place of the media stream. False if the
     * call was already over.
     */
    public boolean fallBack(String callSid, Outcome outcome, FallbackSettings fallback) {
        calls.finish(callSid, outcome, clock.instant());
        return twilio.redirect(callSid, FallbackTwiml.of(fallback));
    }

    /**
     * A relay that is stopping hands a call it holds on {@code streamSid} to the fleet: a new one-time
     * token on the record (only while that stream still holds the call and it has no outcome), then
     * Twilio is given a new {@code <Connect><Stream>}, which the load balancer sends to a relay that is
     * not stopping. False if the record or Twilio refused; the call is then still this relay's.
     */
    public boolean handOver(String callSid, String streamSid, String agent, Direction direction) {
        Instant now = clock.instant();
        String token = tokens.newToken();
        if (!calls.handOverStream(callSid, streamSid, StreamTokens.hash(token), now.plus(settings.streamTokenTtl()),
                RelayTwiml.MAX_RESUMES, now)) {
            return false;
        }
        return twilio.redirect(callSid, RelayTwiml.connect(settings.relayPublicUrl().toString(),
                settings.publicBaseUrl().toString(), token, agent, direction));
    }

    /** {@code say} and {@code note}: a text for the relay that holds the call. */
    private CallActionResult toRelay(CallActionRequest r, CallRecord call, TextToRelay send) {
        if (r.text() == null || r.text().isBlank()) {
            return CallActionResult.error(r, r.action() + " needs a text");
        }
        if (r.text().length() > MAX_SAY_CHARS) {
            return CallActionResult.error(r, "text is longer than " + MAX_SAY_CHARS + " characters");
        }
        if (call.relayAddress().isEmpty()) {
            return CallActionResult.error(r, "no relay holds this call yet (its media stream has not started)");
        }
        return send.apply(call.relayAddress().get(), r.callSid(), r.text());
    }

    private interface TextToRelay {
        CallActionResult apply(String relayAddress, String callSid, String text);
    }

    /** A short account of the conversation for the person taking the call: its last turns. */
    static String summarize(CallRecord call) {
        StringBuilder b = new StringBuilder();
        var lines = call.transcript();
        for (int i = Math.max(0, lines.size() - 6); i < lines.size(); i++) {
            b.append(lines.get(i).speaker()).append(": ").append(lines.get(i).text()).append('\n');
        }
        String s = b.toString().trim();
        return s.length() > 1000 ? s.substring(s.length() - 1000) : s;
    }
}
