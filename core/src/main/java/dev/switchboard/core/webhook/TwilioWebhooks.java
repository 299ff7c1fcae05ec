package dev.switchboard.core.webhook;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStatus;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.NewCall;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.call.Transfer;
import dev.switchboard.core.control.RelayClient;
import dev.switchboard.core.control.WarmTransferLegs;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.setup.CallSetup;
import dev.switchboard.core.setup.SetupAnswer;
import dev.switchboard.core.twilio.DialTwiml;
import dev.switchboard.core.twilio.StreamTwiml;
import dev.switchboard.core.twilio.TwilioSignature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Twilio's call webhooks as plain functions of their input: the Lambda handlers and the relay's
 * local mode both call these, so there is one implementation of each route.
 */
public final class TwilioWebhooks {

    public static final String VOICE = "/twilio/voice";
    public static final String STATUS = "/twilio/status";
    public static final String STREAM_STATUS = "/twilio/stream-status";
    public static final String DIAL_RESULT = "/twilio/dial-result";
    public static final String AMD = "/twilio/amd";
    /** The {@code <Connect action>}: Twilio asks what next once a call's stream has ended. */
    public static final String STREAM_ENDED = "/twilio/stream-ended";
    /** Twilio's {@code AnsweredBy} values. */
    static final Pattern ANSWERED_BY = Pattern.compile("human|machine_start|machine_end_(beep|silence|other)|fax|unknown");

    /** Parameters the relay reads from {@code start.customParameters}. */
    public static final String PARAM_TOKEN = "token";
    public static final String PARAM_AGENT = "agent";
    public static final String PARAM_DIRECTION = "direction";

    private static final Logger LOG = Logger.getLogger(TwilioWebhooks.class);
    private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");

    private final Settings settings;
    private final TwilioSignature signature;
    private final CallStore calls;
    private final AgentProfiles agents;
    private final StreamTokens tokens;
    private final Clock clock;
    private final RelayClient relays;
    private final CallSetup setup;
    private final StreamResumption resumption;
    private final WarmTransferLegs warmLegs;

    public TwilioWebhooks(Settings settings, CallStore calls, AgentProfiles agents, StreamTokens tokens, Clock clock,
                          RelayClient relays) {
        this(settings, calls, agents, tokens, clock, relays, CallSetup.NONE);
    }

    /** {@code setup}: asks an inbound call's agent's setup webhook, if it has one, before the call is answered. */
    public TwilioWebhooks(Settings settings, CallStore calls, AgentProfiles agents, StreamTokens tokens, Clock clock,
                          RelayClient relays, CallSetup setup) {
        this.setup = setup;
        this.settings = settings;
        this.signature = new TwilioSignature(settings.twilioAuthToken());
        this.calls = calls;
        this.agents = agents;
        this.tokens = tokens;
        this.clock = clock;
        this.relays = relays;
        this.resumption = new StreamResumption(settings, calls, agents, tokens, clock, this::checkSignature);
        this.warmLegs = new WarmTransferLegs(calls, relays);
    }

    /** {@code POST /twilio/stream-ended}: see {@link StreamResumption}. */
    public WebhookResponse streamEnded(WebhookRequest request) {
        return resumption.streamEnded(request);
    }

    /** Routes by path; answers 404 for paths that are not Twilio webhooks. */
    public WebhookResponse handle(WebhookRequest request) {
        return switch (request.path()) {
            case VOICE -> voice(request);
            case STATUS -> status(request);
            case STREAM_STATUS -> streamStatus(request);
            case DIAL_RESULT -> dialResult(request);
            case AMD -> answeringMachine(request);
            case STREAM_ENDED -> resumption.streamEnded(request);
            default -> WebhookResponse.error(404, "no webhook at " + request.path());
        };
    }

    /** {@code POST /twilio/voice}: a call arrives; write its record and connect it to the relay. */
    public WebhookResponse voice(WebhookRequest request) {
        Optional<WebhookResponse> refused = checkSignature(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String callSid = request.param("CallSid");
        if (callSid == null || !CALL_SID.matcher(callSid).matches()) {
            return WebhookResponse.error(400, "CallSid is missing or malformed");
        }
        AgentProfile agent = agents.forCalledNumber(request.param("To"));
        Direction direction = "inbound".equals(request.param("Direction")) || request.param("Direction") == null
                ? Direction.INBOUND : Direction.OUTBOUND;
        SetupAnswer answer = direction == Direction.INBOUND
                ? setup.ask(agent, Map.of("id", callSid, "from", String.valueOf(request.param("From")),
                        "to", String.valueOf(request.param("To")), "direction", "inbound"))
                : SetupAnswer.NONE;
        Optional<AgentProfile> chosen = answer.agent().flatMap(agents::byName);
        if (answer.agent().isPresent() && chosen.isEmpty()) {
            LOG.warnf("call %s: setup named agent '%s', which does not exist; '%s' answers", callSid, answer.agent().get(),
                    agent.name());
        }
        agent = chosen.orElse(agent);
        CallStatus status = CallStatus.fromWire(request.param("CallStatus")).orElse(CallStatus.RINGING);
        Instant now = clock.instant();
        String token = tokens.newToken();
        String tokenHash = StreamTokens.hash(token);
        Instant expires = now.plus(settings.streamTokenTtl());
        boolean created = calls.create(new NewCall(callSid, direction, request.param("From"), request.param("To"),
                agent.name(), status, tokenHash, expires), now);
        if (!created && !calls.reissueStreamToken(callSid, tokenHash, expires, now)) {
            // A retry for a call whose stream already started, or that is over: never hand out a second stream.
            LOG.warnf("voice webhook for %s refused: the call is over or already streaming", callSid);
            return WebhookResponse.twiml(StreamTwiml.hangup());
        }
        if (answer.action().isPresent()) {
            Optional<String> twiml = setupAction(callSid, agent, answer.action().get(), request, now);
            if (twiml.isPresent()) {
                return WebhookResponse.twiml(twiml.get());
            }
        }
        if (!answer.variables().isEmpty() || !answer.instructions().isBlank()) {
            calls.saveSetup(callSid, answer.variables(), answer.instructions(), now);
        }
        String twiml = connectTwiml(request, token, agent.name(), direction);
        LOG.infof("call %s from %s to %s answered by agent '%s'", callSid, mask(request.param("From")),
                mask(request.param("To")), agent.name());
        return WebhookResponse.twiml(twiml);
    }

    /** The setup webhook's immediate action: the call never reaches the relay. Empty for an action it cannot take. */
    private Optional<String> setupAction(String callSid, AgentProfile agent, SetupAnswer.Action action, WebhookRequest request,
                                         Instant now) {
        switch (action.type()) {
            case "reject" -> {
                calls.finish(callSid, new Outcome("rejected", "rejected by the setup webhook", Optional.empty()), now);
                LOG.infof("call %s: rejected by the setup webhook", callSid);
                return Optional.of(new VoiceResponse.Builder().reject(new Reject.Builder().build()).build().toXml());
            }
            case "hangup" -> {
                calls.finish(callSid, new Outcome("hung_up", "ended by the setup webhook", Optional.empty()), now);
                VoiceResponse.Builder response = new VoiceResponse.Builder();
                if (!action.text().isBlank()) {
                    response.say(new Say.Builder(action.text()).build());
                }
                return Optional.of(response.hangup(new Hangup.Builder().build()).build().toXml());
            }
            case "transfer" -> {
                Optional<TransferTarget> target = agent.transfer().resolve(action.target());
                if (target.isEmpty()) {
                    LOG.warnf("call %s: setup asked for a transfer to '%s', which is not in agent '%s''s directory; the agent answers",
                            callSid, action.target(), agent.name());
                    return Optional.empty();
                }
                calls.startTransfer(callSid, new Transfer(action.target(), "requested by the setup webhook", "", Optional.empty()), now);
                return Optional.of(DialTwiml.dial(target.get(), agent.transfer(), request.publicBaseUrl() + DIAL_RESULT, ""));
            }
            default -> {
                LOG.warnf("call %s: setup answered an unknown action '%s'; the agent answers", callSid, action.type());
                return Optional.empty();
            }
        }
    }

    private String connectTwiml(WebhookRequest request, String token, String agent, Direction direction) {
        return RelayTwiml.connect(settings.relayPublicUrl().toString(), request.publicBaseUrl(), token, agent, direction);
    }

    /**
     * {@code POST /twilio/dial-result}: the {@code <Dial action>} of a transfer. If the person answered,
     * the call ends when they hang up; if not (busy, no answer, failed), the caller goes back to the
     * agent on a fresh stream, and the relay restores the conversation from the record.
     */
    public WebhookResponse dialResult(WebhookRequest request) {
        Optional<WebhookResponse> refused = checkSignature(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String callSid = request.param("CallSid");
        String result = request.param("DialCallStatus");
        if (callSid == null || result == null) {
            return WebhookResponse.error(400, "CallSid and DialCallStatus are required");
        }
        Instant now = clock.instant();
        Optional<CallRecord> call = calls.find(callSid);
        if (call.isEmpty()) {
            return WebhookResponse.error(404, "unknown call " + callSid);
        }
        if (result.equals("completed") || result.equals("answered")) {
            calls.completeTransfer(callSid, result, now);
            return WebhookResponse.twiml(StreamTwiml.hangup());
        }
        String token = tokens.newToken();
        if (!calls.returnFromTransfer(callSid, result, StreamTokens.hash(token), now.plus(settings.streamTokenTtl()), now)) {
            LOG.warnf("dial result %s for call %s, which is not in a transfer: hanging up", result, callSid);
            return WebhookResponse.twiml(StreamTwiml.hangup());
        }
        LOG.infof("call %s: transfer ended %s, back to the agent", callSid, result);
        return WebhookResponse.twiml(connectTwiml(request, token, call.get().agent(), call.get().direction()));
    }

    /**
     * {@code POST /twilio/amd}: Twilio's asynchronous answering machine verdict on a call placed with
     * {@code machineDetection}. Kept on the record (a relay that claims the stream later reads it there)
     * and passed to the relay holding the stream, if one does: the agent profile decides what to do.
     */
    public WebhookResponse answeringMachine(WebhookRequest request) {
        Optional<WebhookResponse> refused = checkSignature(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String callSid = request.param("CallSid");
        String answeredBy = request.param("AnsweredBy");
        if (callSid == null || answeredBy == null || !ANSWERED_BY.matcher(answeredBy).matches()) {
            return WebhookResponse.error(400, "CallSid and a known AnsweredBy are required");
        }
        Optional<CallRecord> call = calls.saveAnsweredBy(callSid, answeredBy, clock.instant());
        if (call.isEmpty()) {
            return WebhookResponse.error(404, "unknown call " + callSid);
        }
        LOG.infof("call %s answered by %s", callSid, answeredBy);
        CallRecord c = call.get();
        if (c.outcome().isEmpty() && c.streamSid().isPresent() && c.relayAddress().isPresent()) {
            var told = relays.answeredBy(c.relayAddress().get(), callSid, answeredBy);
            if (!told.ok()) {
                // the verdict is on the record; a relay that picks the stream up later acts on it
                LOG.warnf("call %s: the relay was not told it was answered by %s: %s", callSid, answeredBy, told.message());
            }
        }
        return WebhookResponse.noContent();
    }

    /** {@code POST /twilio/status}: the call's progress; only ever moves it forward. */
    public WebhookResponse status(WebhookRequest request) {
        Optional<WebhookResponse> refused = checkSignature(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String callSid = request.param("CallSid");
        Optional<CallStatus> status = CallStatus.fromWire(request.param("CallStatus"));
        if (callSid == null || status.isEmpty()) {
            return WebhookResponse.error(400, "CallSid and a known CallStatus are required");
        }
        Optional<Long> duration = Optional.ofNullable(request.param("CallDuration"))
                .filter(d -> d.matches("\\d{1,9}")).map(Long::parseLong);
        Instant now = clock.instant();
        Instant at = parseTimestamp(request.param("Timestamp")).orElse(now);
        boolean moved = calls.advanceStatus(callSid, status.get(), duration, at, now);
        if (!moved && calls.find(callSid).isEmpty()) {
            return WebhookResponse.error(404, "unknown call " + callSid);
        }
        if (status.get().isFinal()) {
            // the call is over: if nothing else said how (a caller gone before any relay took the stream), this does
            calls.finish(callSid, status.get() == CallStatus.COMPLETED
                    ? Outcome.completed("call ended (Twilio status completed)")
                    : Outcome.failed("call " + status.get().wire()), now);
            calls.find(callSid).ifPresent(call -> warmLegs.ended(call, status.get().wire()));
        }
        return WebhookResponse.noContent();
    }

    /** {@code POST /twilio/stream-status}: stream-started, stream-stopped, stream-error. */
    public WebhookResponse streamStatus(WebhookRequest request) {
        Optional<WebhookResponse> refused = checkSignature(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String callSid = request.param("CallSid");
        String event = request.param("StreamEvent");
        if (callSid == null || event == null || !event.matches("stream-(started|stopped|error)")) {
            return WebhookResponse.error(400, "CallSid and a known StreamEvent are required");
        }
        if ("stream-error".equals(event)) {
            LOG.warnf("stream error on call %s: %s", callSid, request.param("StreamError"));
        }
        Instant now = clock.instant();
        Instant at = parseTimestamp(request.param("Timestamp")).orElse(now);
        if (!calls.recordStreamEvent(callSid, event, at, now)) {
            return WebhookResponse.error(404, "unknown call " + callSid);
        }
        return WebhookResponse.noContent();
    }

    private Optional<WebhookResponse> checkSignature(WebhookRequest request) {
        String url = request.publicBaseUrl() + request.path() + request.rawQuery().map(q -> "?" + q).orElse("");
        if (signature.isValid(url, request.form(), request.signature())) {
            return Optional.empty();
        }
        LOG.warnf("refused %s: %s X-Twilio-Signature", request.path(),
                request.signature().isPresent() ? "invalid" : "missing");
        return Optional.of(WebhookResponse.error(403, "invalid Twilio signature"));
    }

    /** Twilio's status callbacks use RFC 1123 dates; stream callbacks use ISO 8601. */
    static Optional<Instant> parseTimestamp(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException notIso) {
            try {
                return Optional.of(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }

    /** Phone numbers are personal data: logs keep only the last four digits. */
    public static String mask(String number) {
        if (number == null || number.length() <= 4) {
            return "****";
        }
        return "*".repeat(number.length() - 4) + number.substring(number.length() - 4);
    }
}
