package dev.switchboard.core.outbound;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallStatus;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.NewCall;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.core.webhook.RelayTwiml;
import dev.switchboard.core.webhook.TwilioWebhooks;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Places a call for an agent: checks the request, has Twilio dial with TwiML that connects the answered
 * call to the relay (one-time stream token, as for inbound calls), and writes the call record with the
 * agent's task. Used by the {@code outbound-call} Lambda and the local stack.
 */
public final class OutboundCalls {

    private static final Logger LOG = Logger.getLogger(OutboundCalls.class);
    static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");
    static final int MAX_TASK_CHARS = 4000;

    private final Settings settings;
    private final CallStore calls;
    private final CallControl twilio;
    private final AgentProfiles agents;
    private final StreamTokens tokens;
    private final Clock clock;

    public OutboundCalls(Settings settings, CallStore calls, CallControl twilio, AgentProfiles agents, StreamTokens tokens, Clock clock) {
        this.settings = settings;
        this.calls = calls;
        this.twilio = twilio;
        this.agents = agents;
        this.tokens = tokens;
        this.clock = clock;
    }

    public OutboundResult place(OutboundRequest r) {
        return place(r, Map.of());
    }

    /**
     * Places a call with {@code variables} on its record next to its task (a warm transfer's briefing call
     * names the call it serves). Such a call leaves no voicemail message, so Twilio's verdict, when asked
     * for, does not wait for the beep.
     */
    public OutboundResult place(OutboundRequest r, Map<String, String> variables) {
        Optional<String> problem = problem(r);
        if (problem.isPresent()) {
            return new OutboundResult(false, null, problem.get());
        }
        AgentProfile agent = agents.byName(r.agent()).orElseThrow();
        String task = task(r);
        String token = tokens.newToken();
        Instant now = clock.instant();
        String twiml = RelayTwiml.connect(settings.relayPublicUrl().toString(), settings.publicBaseUrl().toString(), token, agent.name(),
                Direction.OUTBOUND);
        String callSid;
        try {
            Optional<String> amd = Boolean.TRUE.equals(r.machineDetection())
                    ? Optional.of(settings.publicBaseUrl() + TwilioWebhooks.AMD) : Optional.empty();
            // leaving a message needs the end of the greeting (the beep); hanging up does not wait for it
            callSid = twilio.place(r.to(), r.from(), twiml, settings.publicBaseUrl() + TwilioWebhooks.STATUS, amd,
                    variables.isEmpty() && agent.voicemail().leavesMessage());
        } catch (RuntimeException e) {
            LOG.warnf("outbound call to %s refused by Twilio: %s", TwilioWebhooks.mask(r.to()), e.getMessage());
            return new OutboundResult(false, null, "Twilio refused the call: " + e.getMessage());
        }
        // Twilio rings the callee for seconds before the stream can start: the record is there first.
        calls.create(new NewCall(callSid, Direction.OUTBOUND, r.from(), r.to(), agent.name(), CallStatus.QUEUED,
                StreamTokens.hash(token), now.plus(settings.streamTokenTtl()).plusSeconds(600)), now);
        if (!variables.isEmpty()) {
            calls.saveSetup(callSid, variables, task, now);
        } else if (!task.isEmpty()) {
            calls.saveTask(callSid, task, now);
        }
        LOG.infof("outbound call %s to %s placed for agent '%s'", callSid, TwilioWebhooks.mask(r.to()), agent.name());
        return new OutboundResult(true, callSid, "calling " + r.to());
    }

    Optional<String> problem(OutboundRequest r) {
        if (r == null) {
            return Optional.of("the request is empty");
        }
        if (r.to() == null || !E164.matcher(r.to()).matches()) {
            return Optional.of("to must be an E.164 number (+ and 7 to 15 digits), got '" + r.to() + "'");
        }
        if (r.from() == null || !E164.matcher(r.from()).matches()) {
            return Optional.of("from must be an E.164 number of your Twilio account, got '" + r.from() + "'");
        }
        if (r.agent() == null || agents.byName(r.agent()).isEmpty()) {
            return Optional.of("unknown agent '" + r.agent() + "'");
        }
        if (task(r).length() > MAX_TASK_CHARS) {
            return Optional.of("instructions and context together must stay under " + MAX_TASK_CHARS + " characters");
        }
        return Optional.empty();
    }

    static String task(OutboundRequest r) {
        StringBuilder t = new StringBuilder();
        if (r.instructions() != null && !r.instructions().isBlank()) {
            t.append(r.instructions().trim());
        }
        if (r.context() != null && !r.context().isNull() && !r.context().isMissingNode()) {
            t.append(t.length() > 0 ? "\n" : "").append("Context: ")
                    .append(r.context().isTextual() ? r.context().asText() : r.context().toString());
        }
        return t.toString();
    }
}
