package dev.switchboard.relay.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamClaim;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.call.Usage;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.relay.ending.CallExits;
import dev.switchboard.relay.ending.CallLimit;
import dev.switchboard.relay.ending.LastWords;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.events.CallReport;
import dev.switchboard.relay.hold.Hold;
import dev.switchboard.relay.keypad.KeyFilter;
import dev.switchboard.relay.keypad.Keypad;
import dev.switchboard.relay.media.HotFrames;
import dev.switchboard.relay.media.TwilioLink;
import dev.switchboard.relay.media.TwilioMessages;
import dev.switchboard.relay.playback.AgentAudio;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.realtime.RealtimeListener;
import dev.switchboard.relay.session.EarlyAudio;
import dev.switchboard.relay.session.RealtimeSession;
import dev.switchboard.relay.turn.ConversationLog;
import dev.switchboard.relay.turn.Responses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * One phone call on this relay: its Twilio media socket and its Realtime session. It takes the two
 * sockets' events and hands them to the call's parts ({@link LiveCall}), each owning its own state: {@link Responses}
 * (turns with the model), {@link AgentAudio} (what the caller hears, barge-in), {@link Keypad},
 * {@link Hold}, {@link SessionLifecycle} (opening, renewing and replacing the Realtime session),
 * {@link LastWords} and {@link CallExits} (transfers and hang-ups after the last words), {@link CallLimit}.
 * Every method runs on the call's event loop (both sockets report there), so nothing here needs a lock.
 *
 * <p>Lifecycle: {@code AWAITING_START} (socket open, nothing known) → {@code CLAIMING} (token being
 * checked in DynamoDB) → {@code CONNECTING} (Realtime socket opening; caller audio buffered) →
 * {@code ACTIVE} ⇄ {@code ON_HOLD} → {@code ENDED}. Every way out goes through {@link #end}, once.
 */
public final class CallSession implements RealtimeListener {

    public enum State { AWAITING_START, CLAIMING, CONNECTING, ACTIVE, ON_HOLD, ENDED }

    private static final Logger LOG = Logger.getLogger(CallSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Close codes sent to Twilio: policy violation for a refused stream, internal error otherwise. */
    static final int CLOSE_REFUSED = 1008;
    static final int CLOSE_FAILED = 1011;
    /** Close code for a stream this relay cannot take now (draining): another relay can. */
    static final int CLOSE_TRY_AGAIN = 1013;

    private final CallServices services;
    private final TwilioLink twilio;
    private final Context context;
    private final HotFrames hot;
    private final ConversationLog conversation = new ConversationLog();
    private final EarlyAudio early = new EarlyAudio();
    private final CallEvents events;
    private final RealtimeSession realtime;
    private final StreamClaims claims;

    private State state = State.AWAITING_START;
    private String callSid;
    private String streamSid;
    private boolean registered;
    private final long startTimer;
    private int malformedFrames;
    private long audioBytesToModel;
    private LiveCall live;
    private final OutsideRequests requests = new OutsideRequests(this);
    private Direction direction;
    private final StreamHandOver handOver;

    public CallSession(CallServices services, TwilioLink twilio) {
        this.services = services;
        this.twilio = twilio;
        this.context = Vertx.currentContext();
        this.hot = services.hotFrames();
        this.events = new CallEvents(services.webhooks(), services.live(), services.clock(), context);
        this.realtime = new RealtimeSession(context.owner(), services.settings(), services.connector(), this,
                services.renewAfter());
        this.claims = new StreamClaims(services.recorder(), context.owner());
        this.handOver = new StreamHandOver(this, services, context.owner());
        // Twilio sends start at once: a socket that does not is not Twilio, and must not be held
        this.startTimer = context.owner().setTimer(services.startTimeout().toMillis(), t -> {
            if (state == State.AWAITING_START) {
                state = State.ENDED;
                services.registry().closedWithoutStart();
                twilio.close(CLOSE_REFUSED, "no start");
            }
        });
    }

    public String callSid() {
        return callSid;
    }

    public State state() {
        return state;
    }

    String streamSid() {
        return streamSid;
    }

    // ---------------------------------------------------------------- Twilio side

    /** A text frame from Twilio. Malformed frames are counted and ignored: the call goes on. */
    public void onTwilioText(String text) {
        if (state == State.ENDED) {
            return;
        }
        try {
            String payload = hot.twilioMediaPayload(text);
            if (payload != null) {
                onMedia(payload);
                return;
            }
        } catch (Exception e) {
            malformed("invalid JSON");
            return;
        }
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (Exception e) {
            malformed("invalid JSON");
            return;
        }
        String event = msg.path("event").asText("");
        switch (event) {
            case "media" -> onMedia(msg.path("media").path("payload").asText(null));
            case "mark" -> onMark(msg.path("mark").path("name").asText(null));
            case "start" -> onStart(msg);
            case "stop" -> onStop();
            case "connected" -> { }
            case "dtmf" -> onKey(msg.path("dtmf").path("digit").asText(""));
            default -> malformed("unknown event '" + event + "'");
        }
    }

    public void onTwilioBinary() {
        malformed("binary frame (Twilio sends text only)");
    }

    /** Twilio's {@code stop}: the caller hung up, or Twilio moved the call on (a transfer, a hang-up, a hand-over). */
    private void onStop() {
        if (handOver.underWay()) {
            lose("handed over to another relay");
            return;
        }
        end(live == null ? Outcome.completed("stream stopped by Twilio")
                : live.exits().stopped(Outcome.completed("stream stopped by Twilio")), false);
    }

    /**
     * The Twilio socket closed without a {@code stop}: the socket was cut, not the call. No outcome is
     * written: Twilio asks the {@code <Connect action>} what next, and the call resumes on a new stream.
     */
    public void onTwilioClosed() {
        lose(handOver.underWay() ? "handed over to another relay" : "media socket closed without a stop");
    }

    private void onStart(JsonNode msg) {
        if (state != State.AWAITING_START) {
            malformed("second start");
            return;
        }
        JsonNode start = msg.path("start");
        String sid = start.path("callSid").asText("");
        String stream = start.path("streamSid").asText(msg.path("streamSid").asText(""));
        String token = start.path("customParameters").path(TwilioWebhooks.PARAM_TOKEN).asText("");
        if (sid.isEmpty() || token.isEmpty() || !TwilioMessages.isStreamSid(stream)) {
            refuse("start without callSid, streamSid or stream token");
            return;
        }
        if (services.draining().getAsBoolean()) {
            // nothing is claimed or written, so the call can be streamed to another relay
            LOG.infof("call %s: stream refused, this relay is draining", sid);
            state = State.ENDED;
            twilio.close(CLOSE_TRY_AGAIN, "relay draining");
            return;
        }
        context.owner().cancelTimer(startTimer);
        callSid = sid;
        streamSid = stream;
        state = State.CLAIMING;
        realtime.preconnect(); // the OpenAI handshake runs alongside the claim; nothing is sent before it succeeds
        // caller audio is buffered while the token is checked
        claims.claim(new StreamClaim(sid, StreamTokens.hash(token), streamSid, services.relayAddress()),
                () -> state == State.CLAIMING, new StreamClaims.Answer(this::begin, this::refuse, this::failEarly));
    }

    private void begin(CallRecord call) {
        // the claim succeeded, so this stream now holds the call: an older one still here lost it
        services.registry().register(callSid, this).ifPresent(older -> older.onContext(() -> older.lose("a new stream took the call")));
        registered = true;
        direction = call.direction();
        AgentProfile agent = services.agents().byNameOrDefault(call.agent());
        live = new LiveCall(this, services, call, agent, twilio, streamSid, realtime, conversation, events);
        events.open(call, agent, live::onWebhookAction);
        services.recorder().loadKeypad(callSid).onSuccess(saved -> {
            if (state != State.ENDED) {
                live.keypad().restore(saved.buffer()); // an entry begun while another relay held the call
            }
        });
        state = State.CONNECTING;
        if (call.resuming() && call.holding()) {
            realtime.discardEarly();
            live.conversations().resumeOnHold();
        } else {
            live.conversations().open(call);
        }
    }

    private void onMedia(String payload) {
        if (payload == null || !TwilioMessages.isBase64(payload)) {
            malformed("media without a base64 payload");
            return;
        }
        if (live != null && (state == State.ACTIVE || state == State.CONNECTING)) {
            live.hold().awakeFrame(payload);
        }
        switch (state) {
            case ACTIVE -> forward(payload);
            case ON_HOLD -> live.hold().frame(payload, audioBytesToModel);
            case CLAIMING, CONNECTING -> early.add(payload);
            default -> malformed("media before start");
        }
    }

    /** Caller audio to the model, untouched; decoded only when something listens to it locally. */
    void forward(String payload) {
        if (heardLocally(payload)) {
            enterHold();
            return;
        }
        toModel(payload, TwilioMessages.decodedLength(payload));
    }

    /**
     * The keypad and the quiet watch hear each caller frame before the model does; true when the frame
     * ends a quiet wait long enough to put the call on hold (it then goes no further).
     */
    boolean heardLocally(String payload) {
        Hold hold = live.hold();
        boolean watching = hold.watchesForQuiet() && live.agentWaiting();
        if (live.keypad().hearsTones() || watching) {
            byte[] audio = Base64.getDecoder().decode(payload);
            if (live.keypad().hearsTones()) {
                live.keypad().listen(audio);
            }
            return watching && hold.quietTooLong(audio);
        }
        if (hold.watchesForQuiet()) {
            hold.resetQuietWatch(); // the agent is talking or busy: the quiet wait starts again afterwards
        }
        return false;
    }

    /** Base64 mu-law holding {@code bytes} bytes of caller audio, appended to the model's input. */
    void toModel(String base64, int bytes) {
        audioBytesToModel += bytes;
        realtime.send(ClientEvents.append(base64));
    }

    private void onKey(String digit) {
        if (live == null || state == State.ENDED || !live.keypad().key(digit, KeyFilter.Source.EVENT)) {
            malformed("dtmf without a single-key digit");
        }
    }

    private void onMark(String name) {
        if (name == null) {
            malformed("mark without a name");
            return;
        }
        if (live != null) {
            live.audio().marked(name);
            live.lastWords().markPlayed();
        }
    }

    // ---------------------------------------------------------------- Realtime side

    @Override
    public void onRealtimeText(String json) {
        if (state == State.ENDED || live == null) {
            return;
        }
        try {
            HotFrames.AudioDelta delta = hot.realtimeAudioDelta(json);
            if (delta != null) {
                live.onAudioDelta(delta);
                return;
            }
        } catch (Exception ex) {
            LOG.warnf("call %s: unparseable Realtime event ignored", callSid);
            return;
        }
        JsonNode e;
        try {
            e = JSON.readTree(json);
        } catch (Exception ex) {
            LOG.warnf("call %s: unparseable Realtime event ignored", callSid);
            return;
        }
        live.onRealtimeEvent(e);
    }

    @Override
    public void onRealtimeClosed(int code, String reason) {
        if (state == State.ENDED) {
            return;
        }
        String why = code + (reason.isBlank() ? "" : " " + reason);
        if (state == State.ACTIVE && realtime.replaceAfterDrop()) {
            LOG.warnf("call %s: the Realtime session closed (%s); opening a new one with the conversation so far", callSid, why);
            live.conversations().renew("The line was renewed; carry on the conversation naturally.", true);
            return;
        }
        LOG.errorf("call %s: the Realtime session closed unexpectedly (%s)", callSid, why);
        if (live != null) {
            live.exits().fallBack(Outcome.failed("realtime session closed: " + why));
        } else {
            end(Outcome.failed("realtime session closed: " + why), true);
        }
    }

    // ---------------------------------------------------------------- from other processes

    /** What other processes ask of this call (see {@link OutsideRequests}). */
    public OutsideRequests requests() {
        return requests;
    }

    LiveCall live() {
        return live;
    }

    ConversationLog conversation() {
        return conversation;
    }

    CallEvents events() {
        return events;
    }

    /** Runs on this call's event loop, from any thread. */
    public void onContext(Runnable r) {
        context.runOnContext(v -> r.run());
    }

    // ---------------------------------------------------------------- state changes the live ask for

    void setState(State next) {
        if (state != State.ENDED) {
            state = next;
        }
    }

    /** Goes on hold now: the conversation is saved, the Realtime session closes, the hold line listens. */
    void enterHold() {
        if (state != State.ACTIVE) {
            live.hold().cancelPending();
            return;
        }
        live.conversations().closeForHold();
        state = State.ON_HOLD;
        live.hold().start();
        services.recorder().holding(callSid, streamSid, true);
    }

    long audioBytesToModel() {
        return audioBytesToModel;
    }

    EarlyAudio early() {
        return early;
    }

    // ---------------------------------------------------------------- the end

    /**
     * Ends the call on this relay, once: closes the Realtime socket at once, closes the Twilio socket
     * if we are the ones ending it (closing it ends a {@code <Connect><Stream>} call, since nothing
     * follows it in the TwiML), records the outcome and leaves the registry.
     */
    public void end(Outcome outcome, boolean closeTwilio) {
        if (state == State.ENDED) {
            return;
        }
        State was = stop(outcome);
        if (closeTwilio && twilio.isOpen()) {
            twilio.close(outcome.kind().equals("failed") ? CLOSE_FAILED : 1000, truncateReason(outcome.reason()));
        }
        if (registered) {
            leaveRegistry();
            reportEnd(outcome);
        }
        if (was != State.AWAITING_START && callSid != null) {
            LOG.infof("call %s ended: %s (%s)%s", callSid, outcome.kind(), outcome.reason(),
                    malformedFrames > 0 ? ", " + malformedFrames + " malformed frames ignored" : "");
        }
    }

    /**
     * This stream lost the call but the call is not over (its socket was cut, it was handed over, a
     * newer stream took it): the conversation is saved, no outcome is written, and whoever holds the
     * call next carries on from the record.
     */
    void lose(String why) {
        if (state == State.ENDED) {
            return;
        }
        if (live != null && registered) {
            services.recorder().saveConversation(callSid, live.snapshot("Stream lost: " + why));
        }
        State was = stop(null);
        if (twilio.isOpen()) {
            twilio.close(CLOSE_TRY_AGAIN, "stream lost");
        }
        if (registered) {
            events.emit("stream_lost", CallEvents.fields().put("reason", why));
            leaveRegistry();
        }
        if (was != State.AWAITING_START && callSid != null) {
            LOG.infof("call %s: stream %s left this relay without ending the call (%s)", callSid, streamSid, why);
        }
    }

    /** The relay is stopping: see {@link StreamHandOver}. */
    public void handOver() {
        handOver.start(state, live, direction);
    }

    /** Stops the call's work on this relay; returns the state it was in. {@code outcome} null: none (a lost stream). */
    private State stop(Outcome outcome) {
        State was = state;
        state = State.ENDED;
        context.owner().cancelTimer(startTimer);
        handOver.cancel();
        if (was == State.CLAIMING) {
            claims.streamEnded(outcome);
        }
        early.clear();
        if (live != null) {
            live.close(outcome != null);
        }
        realtime.stop();
        return was;
    }

    /**
     * {@code session_end} and {@code call_report} carry the outcome on the record, which may not be this
     * session's view: a transfer or hang-up made from outside the relay (call-action, the console) is
     * recorded before Twilio stops the stream.
     */
    private void reportEnd(Outcome ours) {
        String sid = callSid;
        services.recorder().finish(sid, streamSid, ours)
                .compose(finished -> services.recorder().load(sid))
                .onComplete(loaded -> {
                    var record = loaded.succeeded() ? loaded.result().filter(r -> r.outcome().isPresent()) : Optional.<CallRecord>empty();
                    Outcome outcome = record.flatMap(CallRecord::outcome).orElse(ours);
                    var end = CallEvents.fields().put("outcome", outcome.kind()).put("reason", outcome.reason());
                    outcome.target().ifPresent(t -> end.put("target", t));
                    events.emit("session_end", end);
                    record.ifPresent(r -> events.emit("call_report", CallReport.of(r, services.prices())));
                });
    }

    private void leaveRegistry() {
        services.registry().remove(callSid, this);
        services.recorder().usage(callSid, new Usage(0, 0, 0, 0, 0, 0, 0, 0, audioBytesToModel / 8));
    }

    private void refuse(String reason) {
        LOG.warnf("media stream refused%s: %s", callSid == null ? "" : " for call " + callSid, reason);
        state = State.ENDED;
        early.clear();
        realtime.discardEarly();
        twilio.close(CLOSE_REFUSED, "stream refused");
    }

    private void failEarly(String reason) {
        state = State.ENDED;
        early.clear();
        realtime.discardEarly();
        twilio.close(CLOSE_FAILED, reason);
    }

    private void malformed(String what) {
        // Logged for the first few only: a misbehaving peer must not flood the log from the media path.
        if (++malformedFrames <= 3) {
            LOG.warnf("call %s: ignored a malformed Twilio frame: %s", callSid == null ? "(before start)" : callSid, what);
        }
    }

    private static String truncateReason(String reason) {
        // A WebSocket close reason must fit in 123 bytes.
        return reason.length() > 120 ? reason.substring(0, 120) : reason;
    }
}
