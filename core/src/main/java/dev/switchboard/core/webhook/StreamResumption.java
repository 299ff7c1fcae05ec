package dev.switchboard.core.webhook;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.twilio.FallbackTwiml;
import dev.switchboard.core.twilio.StreamTwiml;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * {@code POST /twilio/stream-ended}, the {@code <Connect action>}: Twilio asks what next once a call's
 * media stream has ended. Every way Switchboard ends a call on purpose writes its outcome first (a
 * hang-up, a transfer, the caller leaving, a failure the caller was told about), so a call that has
 * one ends here with {@code <Hangup/>}. A call without one lost its stream (its relay died, or was
 * drained, or refused it): it gets a new one-time token and a new {@code <Connect><Stream>} to the
 * relay fleet, where the load balancer picks a healthy relay, which restores the call from its record.
 * At most {@code RelayTwiml.MAX_RESUMES} times per call; then the caller hears the agent's fallback.
 */
final class StreamResumption {

    private static final Logger LOG = Logger.getLogger(StreamResumption.class);
    private static final int MAX_RESUMES = RelayTwiml.MAX_RESUMES;
    /** Eight tries, the later ones 2 s apart, outlast the load balancer's health check (2 × 5 s). */
    static final int RETRY_PAUSE_SECONDS = 2;
    /** Reads and conditional writes before giving up on a record that keeps changing. */
    static final int RESUME_ATTEMPTS = 10;

    private final Settings settings;
    private final CallStore calls;
    private final AgentProfiles agents;
    private final StreamTokens tokens;
    private final Clock clock;
    private final Function<WebhookRequest, Optional<WebhookResponse>> signature;

    StreamResumption(Settings settings, CallStore calls, AgentProfiles agents, StreamTokens tokens, Clock clock,
                     Function<WebhookRequest, Optional<WebhookResponse>> signature) {
        this.settings = settings;
        this.calls = calls;
        this.agents = agents;
        this.tokens = tokens;
        this.clock = clock;
        this.signature = signature;
    }

    WebhookResponse streamEnded(WebhookRequest request) {
        Optional<WebhookResponse> refused = signature.apply(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String callSid = request.param("CallSid");
        if (callSid == null) {
            return WebhookResponse.error(400, "CallSid is required");
        }
        // the relay that lost the stream writes to the record as it lets go (conversation, hold state,
        // usage) and each write moves its version: read again and retry while that burst lasts
        for (int attempt = 0; attempt < RESUME_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                pause(attempt);
            }
            Optional<CallRecord> found = calls.find(callSid);
            if (found.isEmpty()) {
                return WebhookResponse.error(404, "unknown call " + callSid);
            }
            CallRecord call = found.get();
            if (call.outcome().isPresent() || call.status().isFinal()) {
                return WebhookResponse.twiml(StreamTwiml.hangup());
            }
            if (call.resumes() >= MAX_RESUMES) {
                return giveUp(call);
            }
            Instant now = clock.instant();
            String token = tokens.newToken();
            if (calls.resumeStream(callSid, call.version(), StreamTokens.hash(token), now.plus(settings.streamTokenTtl()),
                    MAX_RESUMES, now)) {
                LOG.infof("call %s: its stream ended without an outcome (relay lost, drained or refused); resuming it on a "
                        + "new stream (%d of at most %d)", callSid, call.resumes() + 1, MAX_RESUMES);
                // the last resumed stream never reached a relay: the load balancer may still send streams to the
                // dead one until its health check fails, so this try waits a moment first
                int pause = call.resuming() ? RETRY_PAUSE_SECONDS : 0;
                return WebhookResponse.twiml(RelayTwiml.connect(pause, settings.relayPublicUrl().toString(), request.publicBaseUrl(),
                        token, call.agent(), call.direction()));
            }
        }
        LOG.warnf("call %s: its stream ended but the record kept changing; hanging up", callSid);
        calls.finish(callSid, Outcome.failed("stream lost and the call could not be resumed"), clock.instant());
        return WebhookResponse.twiml(StreamTwiml.hangup());
    }

    /** 20, 40, 60... ms: about a second over all attempts, well inside Twilio's 15 s for the webhook. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private WebhookResponse giveUp(CallRecord call) {
        LOG.warnf("call %s: its stream was lost %d times; the caller hears the fallback", call.callSid(), call.resumes() + 1);
        calls.finish(call.callSid(), Outcome.failed("stream lost " + (call.resumes() + 1) + " times"), clock.instant());
        return WebhookResponse.twiml(FallbackTwiml.of(agents.byNameOrDefault(call.agent()).fallback()));
    }
}
