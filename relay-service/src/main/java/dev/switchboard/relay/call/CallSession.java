package dev.switchboard.relay.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamClaim;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.call.Usage;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.webhook.TwilioWebhooks;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.KeypadSettings;
import dev.switchboard.core.agent.MenuOption;
import dev.switchboard.relay.dtmf.DigitCollector;
import dev.switchboard.relay.dtmf.DigitSpec;
import dev.switchboard.relay.dtmf.DtmfDetector;
import dev.switchboard.relay.dtmf.EventWebhook;
import dev.switchboard.relay.media.HotFrames;
import dev.switchboard.relay.media.TwilioLink;
import dev.switchboard.relay.media.TwilioMessages;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.relay.realtime.RealtimeLink;
import dev.switchboard.relay.realtime.RealtimeListener;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.call.TranscriptLine;
import dev.switchboard.core.call.Transfer;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.relay.tool.CallControls;
import dev.switchboard.relay.tool.Tool;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import dev.switchboard.relay.tool.ToolContext;
import dev.switchboard.relay.tool.ToolException;
import dev.switchboard.relay.tool.ToolRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One phone call on this relay: its Twilio media socket and its Realtime session. Every method runs
 * on the call's event loop (both sockets report there), so the state below needs no locks.
 *
 * <p>Lifecycle: {@code AWAITING_START} (socket open, nothing known) → {@code CLAIMING} (token being
 * checked in DynamoDB) → {@code CONNECTING} (Realtime socket opening; caller audio buffered) →
 * {@code ACTIVE} → {@code ENDED}. Every way out goes through {@link #end}, once.
 */
public final class CallSession implements RealtimeListener, CallControls {

    enum State { AWAITING_START, CLAIMING, CONNECTING, ACTIVE, ON_HOLD, ENDED }

    private static final Logger LOG = Logger.getLogger(CallSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Caller audio kept while the Realtime session opens: 10 s of 20 ms frames. */
    static final int MAX_EARLY_FRAMES = 500;
    /** Close codes sent to Twilio: policy violation for a refused stream, internal error otherwise. */
    static final int CLOSE_REFUSED = 1008;
    static final int CLOSE_FAILED = 1011;
    /** If the marks of a goodbye or handoff never come back, act anyway after this long. */
    static final long ACTION_DEADLINE_MS = 15_000;
    /** Conversation turns restored into a new session (a caller back from a failed transfer). */
    static final int MAX_RESTORED_LINES = 40;
    static final long CLAIM_RETRY_MS = 1000;
    /** Realtime sessions that drop are replaced this many times before the call gives up. */
    static final int MAX_RECONNECTS = 3;
    /** How often the session's age is checked: often enough to find a quiet moment soon after the limit nears. */
    static final long AGE_CHECK_MS = 5_000;

    private final Settings settings;
    private final TwilioLink twilio;
    private final RealtimeConnector connector;
    private final CallRecorder recorder;
    private final AgentProfiles agents;
    private final ToolRegistry toolRegistry;
    private final SessionRegistry registry;
    private final String relayAddress;
    private final Clock clock;
    private final CallActions actions;
    private final Context context;

    private State state = State.AWAITING_START;
    private String callSid;
    private String streamSid;
    private AgentProfile agent;
    private Map<String, Tool> tools = Map.of();
    private RealtimeLink realtime;
    private final ArrayDeque<String> early = new ArrayDeque<>();
    private int earlyDropped;
    private final Playback playback = new Playback();
    private final HotFrames hot;
    private boolean responseActive;
    private String responseId;
    private String suppressedResponseId;
    private boolean followUpOwed;
    private long audioBytesToModel;
    private int malformedFrames;
    private boolean registered;
    private boolean claimRetried;
    private int reconnects;
    private long sessionStartedNanos;
    private long ageTimer = -1;
    private final long renewAfterNanos;
    /** {@link #AGE_CHECK_MS}, or a quarter of a shorter renewal period (tests use seconds). */
    private final long ageCheckMs;
    private final dev.switchboard.relay.hold.SpeechDetector.Model speechModel;
    private final dev.switchboard.relay.hold.HoldCosts holdCosts;
    private final ConversationLog conversation = new ConversationLog();
    private boolean holdPending;
    private String holdReason;
    /** Created the first time the call goes on hold; keeps the recordings dismissed on this call. */
    private dev.switchboard.relay.hold.HoldListener holdLine;
    private dev.switchboard.relay.hold.NoSpeechWatch autoHold;
    private long holdStartedNanos;
    private long holdTimer = -1;
    private long callLimitTimer = -1;
    private int wakes;
    private boolean wokenFromHold;
    private long audioBytesAtWake;
    /** Runs once the next Realtime session is open and seeded (a message to leave, say). */
    private Runnable onSessionReady;
    private boolean answeredByHandled;
    private boolean holdLimitReached;
    private Runnable pendingAction;
    private boolean actionSpeechRequested;
    private boolean actionArmed;
    private long actionTimer = -1;
    private String transferringTo;
    private boolean hangingUp;
    /** A response to request once the current one is done; {@code armsAction}: the pending action waits for it. */
    private record PendingResponse(String instructions, boolean armsAction) {
    }

    private final java.util.ArrayDeque<PendingResponse> pendingResponses = new java.util.ArrayDeque<>();
    private DigitCollector keypad;
    private DtmfDetector toneDetector;
    private String lastKey;
    private KeySource lastKeySource;
    private long lastKeyNanos;
    private final java.util.Map<String, Runnable> toneMarks = new java.util.HashMap<>();
    private DigitSpec collecting;
    private dev.switchboard.core.agent.Step step;
    private String task = "";
    private boolean collectingForStep;
    /** A terminator pressed just after an entry ended at its maximum length belongs to that entry. */
    private String swallowKey;
    private long swallowUntilNanos;
    static final long SWALLOW_TERMINATOR_NANOS = 2_000_000_000L;
    private int attemptsLeft;
    private DigitCollector ordinaryKeypad;
    private int toneCounter;
    private boolean callerTalking;
    /** Made with the hold listener: the socket a wake will use, opened when the hold line starts to sound like speech. */
    private WarmRealtime warmRealtime;
    /** The caller's last turn was committed and no response has started yet: not a quiet moment. */
    private boolean callerTurnUnanswered;
    private long lastCallerTurnNanos;
    /** How long a turn may wait for its answer or transcript before a renewal stops waiting for it. */
    static final long TURN_SETTLE_NANOS = 10_000_000_000L;
    private final EventWebhook webhooks;
    private ObjectNode sessionInfo;

    public CallSession(Settings settings, TwilioLink twilio, RealtimeConnector connector, CallRecorder recorder,
                       AgentProfiles agents, ToolRegistry toolRegistry, SessionRegistry registry,
                       String relayAddress, Clock clock, HotFrames hotFrames, CallActions actions, EventWebhook webhooks,
                       java.time.Duration renewAfter, dev.switchboard.relay.hold.SpeechDetector.Model speechModel,
                       dev.switchboard.relay.hold.HoldCosts holdCosts) {
        this.settings = settings;
        this.twilio = twilio;
        this.connector = connector;
        this.recorder = recorder;
        this.agents = agents;
        this.toolRegistry = toolRegistry;
        this.registry = registry;
        this.relayAddress = relayAddress;
        this.clock = clock;
        this.hot = hotFrames;
        this.actions = actions;
        this.webhooks = webhooks;
        this.renewAfterNanos = renewAfter.toNanos();
        this.ageCheckMs = Math.max(100, Math.min(AGE_CHECK_MS, renewAfter.toMillis() / 4));
        this.speechModel = speechModel;
        this.holdCosts = holdCosts;
        this.context = Vertx.currentContext();
    }

    public String callSid() {
        return callSid;
    }

    State state() {
        return state;
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
            case "stop" -> end(transferringTo != null ? new Outcome("transferred", "handed to a person", Optional.of(transferringTo))
                    : Outcome.completed("stream stopped by Twilio"), false);
            case "connected" -> { }
            case "dtmf" -> onKey(msg.path("dtmf").path("digit").asText(""), KeySource.EVENT);
            default -> malformed("unknown event '" + event + "'");
        }
    }

    public void onTwilioBinary() {
        malformed("binary frame (Twilio sends text only)");
    }

    /** The Twilio socket closed: the call's stream is over whoever closed it. */
    public void onTwilioClosed() {
        end(Outcome.completed("media stream closed"), false);
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
        callSid = sid;
        streamSid = stream;
        state = State.CLAIMING;
        claim(token);
    }

    /** Checks the stream token in DynamoDB, off the event loop; caller audio is buffered meanwhile. */
    private void claim(String token) {
        String sid = callSid;
        recorder.claim(new StreamClaim(sid, StreamTokens.hash(token), streamSid, relayAddress)).onComplete(ar -> {
            if (state == State.ENDED) {
                return;
            }
            if (ar.failed()) {
                LOG.errorf("call %s: the call store failed while checking the stream token: %s", sid, ar.cause().getMessage());
                failEarly("call store unavailable");
                return;
            }
            if (!ar.result().accepted() && ar.result().reason().equals("unknown call") && !claimRetried) {
                // an outbound call's record is written just after Twilio accepts it: give it a moment
                claimRetried = true;
                context.owner().setTimer(CLAIM_RETRY_MS, t -> {
                    if (state == State.CLAIMING) {
                        claim(token);
                    }
                });
                return;
            }
            if (!ar.result().accepted()) {
                refuse(ar.result().reason());
                return;
            }
            begin(ar.result().call().orElseThrow());
        });
    }

    private void begin(CallRecord call) {
        if (!registry.register(callSid, this)) {
            refuse("call already has a live stream on this relay");
            return;
        }
        registered = true;
        agent = agents.byNameOrDefault(call.agent());
        task = call.task().orElse("");
        step = call.step().flatMap(agent::step).orElse(agent.steps().isEmpty() ? null : agent.steps().get(0));
        tools = toolRegistry.forStep(agent, step);
        if (agent.keypad().inbandDetection()) {
            toneDetector = new DtmfDetector(key -> onKey(String.valueOf(key), KeySource.TONE));
        }
        keypad = keypadFor(activeMenu());
        if (agent.hold().autoAfterSeconds() > 0) {
            autoHold = new dev.switchboard.relay.hold.NoSpeechWatch(speechModel, agent.hold().autoAfterSeconds() * 1000);
        }
        long callAgeMs = java.time.Duration.between(call.createdAt(), clock.instant()).toMillis();
        callLimitTimer = context.owner().setTimer(Math.max(1, (long) (agent.maxCallMinutes() * 60_000) - callAgeMs), t -> {
            callLimitTimer = -1;
            onCallLimit();
        });
        sessionInfo = JSON.createObjectNode().put("id", callSid).put("direction", call.direction().name().toLowerCase())
                .put("from_phone_number", call.from()).put("to_phone_number", call.to()).put("agent", agent.name());
        recorder.loadKeypad(callSid).onSuccess(saved -> {
            if (state != State.ENDED && !saved.buffer().isEmpty() && !keypad.isTyping()) {
                keypad.restore(saved.buffer()); // an entry begun while another relay held the call
            }
        });
        state = State.CONNECTING;
        connector.connect(settings, this).onComplete(ar -> {
            if (ar.failed()) {
                LOG.errorf("call %s: could not open the Realtime session: %s", callSid, ar.cause().getMessage());
                end(Outcome.failed("realtime connect failed: " + ar.cause().getMessage()), true);
                return;
            }
            realtime = ar.result();
            if (state == State.ENDED) {
                realtime.close();
                return;
            }
            realtime.send(ClientEvents.sessionUpdate(agent, tools.values(), instructions()));
            state = State.ACTIVE;
            sessionStartedNanos = System.nanoTime();
            ageTimer = context.owner().setPeriodic(ageCheckMs, t -> checkSessionAge());
            if (step != null) {
                recorder.step(callSid, step.name());
                startStepCollection();
            }
            while (!early.isEmpty()) {
                sendAudio(early.pollFirst());
            }
            if (earlyDropped > 0) {
                LOG.warnf("call %s: %d early frames dropped while the Realtime session opened", callSid, earlyDropped);
            }
            Optional<Transfer> failedTransfer = call.transfer().filter(t -> t.result().isPresent() && call.outcome().isEmpty());
            if (failedTransfer.isPresent()) {
                recorder.loadConversation(callSid).onComplete(saved -> {
                    if (state == State.ACTIVE) {
                        restoreConversation(saved.succeeded() ? saved.result() : dev.switchboard.core.call.SavedConversation.NONE,
                                call.transcript(), failedTransfer.get());
                    }
                });
            } else if (!agent.greeting().isBlank()
                    && (call.direction() == dev.switchboard.core.call.Direction.INBOUND || agent.outboundSpeaksFirst())) {
                realtime.send(ClientEvents.responseCreate("Greet the caller with exactly these words: " + agent.greeting()));
            } // on calls it places, the agent waits for the callee's hello unless told otherwise
            LOG.infof("call %s: stream %s live with agent '%s'", callSid, streamSid, agent.name());
            emit("session_start", JSON.createObjectNode());
            call.answeredBy().ifPresent(this::onAnsweredBy); // the verdict came before the stream
        });
    }

    /**
     * The caller is back from a transfer nobody answered: the new session hears the conversation so far,
     * from the call's saved conversation (written when the transfer started), or its transcript.
     */
    private void restoreConversation(dev.switchboard.core.call.SavedConversation saved, List<TranscriptLine> transcript,
                                     Transfer transfer) {
        if (!saved.isEmpty()) {
            conversation.replaceWith(saved.items());
        } else {
            for (int i = Math.max(0, transcript.size() - MAX_RESTORED_LINES); i < transcript.size(); i++) {
                TranscriptLine line = transcript.get(i);
                conversation.add("agent".equals(line.speaker()) ? "assistant" : "user", line.text());
            }
        }
        seed();
        tell("system", "You tried to transfer the caller to " + transfer.target()
                + " but the transfer did not go through (" + transfer.result().orElse("failed")
                + "). The caller is back on the line with you. Apologise briefly and offer another way to help.");
        realtime.send(ClientEvents.responseCreate());
        LOG.infof("call %s: back from a %s transfer with %d items restored", callSid,
                transfer.result().orElse("failed"), conversation.recent().size());
    }

    private void onMedia(String payload) {
        if (payload == null || !TwilioMessages.isBase64(payload)) {
            malformed("media without a base64 payload");
            return;
        }
        if (holdLine != null && holdLine.capturing() && (state == State.ACTIVE || state == State.CONNECTING)) {
            // what woke the agent, fingerprinted as it arrives, in case it turns out to be a recording
            holdLine.onAwakeFrame(java.util.Base64.getDecoder().decode(payload));
        }
        switch (state) {
            case ACTIVE -> sendAudio(payload);
            case ON_HOLD -> listenOnHold(payload);
            case CLAIMING, CONNECTING -> {
                if (early.size() == MAX_EARLY_FRAMES) {
                    early.pollFirst();
                    earlyDropped++;
                }
                early.addLast(payload);
            }
            default -> malformed("media before start");
        }
    }

    private void sendAudio(String payload) {
        boolean watching = autoHold != null && agentWaiting();
        if (toneDetector != null || watching) { // decoded only when something listens locally
            byte[] audio = java.util.Base64.getDecoder().decode(payload);
            if (toneDetector != null) {
                toneDetector.accept(audio);
            }
            if (watching && autoHold.quietTooLong(audio)) {
                holdReason = "no speech for " + agent.hold().autoAfterSeconds() + " s: music, tones or silence";
                enterHold();
                return;
            }
        } else if (autoHold != null) {
            autoHold.reset(); // the agent is talking or busy: the quiet wait starts again afterwards
        }
        audioBytesToModel += TwilioMessages.decodedLength(payload);
        realtime.send(ClientEvents.append(payload));
    }

    /** The agent has said its piece and nothing is pending: it waits for the other side to answer. */
    private boolean agentWaiting() {
        return !responseActive && !playback.hasUnplayedAudio() && pendingAction == null && collecting == null
                && !holdPending && !hangingUp && transferringTo == null;
    }

    /** A conversation item the model must see: sent, and kept for the next session. */
    private void tell(String role, String text) {
        conversation.add(role, text);
        realtime.send(ClientEvents.conversationItem(role, text));
    }

    /** Seeds a new session with the conversation so far. */
    private void seed() {
        for (dev.switchboard.core.call.SavedConversation.Item item : conversation.recent()) {
            realtime.send(ClientEvents.conversationItem(item.role(), item.text()));
        }
    }

    // ---------------------------------------------------------------- keypad

    /** Where a key came from: Twilio's {@code dtmf} event, or a tone found in the audio. */
    enum KeySource { EVENT, TONE }

    /** A key seen both ways within this window is one key. */
    static final long SAME_KEY_WINDOW_NANOS = 300_000_000L;

    private void onKey(String digit, KeySource source) {
        if (digit.length() != 1 || keypad == null || state == State.ENDED) {
            malformed("dtmf without a single-key digit");
            return;
        }
        long now = System.nanoTime();
        if (digit.equals(lastKey) && source != lastKeySource && now - lastKeyNanos < SAME_KEY_WINDOW_NANOS) {
            return; // the same press, reported as an event and heard as a tone
        }
        lastKey = digit;
        lastKeySource = source;
        lastKeyNanos = now;
        if (digit.equals(swallowKey) && now < swallowUntilNanos) {
            swallowKey = null; // the # after an entry that was already complete at its length
            return;
        }
        if (state == State.ACTIVE && !keypad.isTyping() && (playback.hasUnplayedAudio() || responseActive)) {
            bargeIn(); // the first key interrupts the agent exactly as speech would
        }
        if (!keypad.onKey(digit.charAt(0))) {
            malformed("dtmf with an unknown key");
            return;
        }
        emit("dtmf_received", JSON.createObjectNode().put("digit", digit));
    }

    /** Posts a call event to the agent's webhook, if it has one; never waits for it. */
    private void emit(String type, ObjectNode fields) {
        if (agent == null || agent.webhook() == null || sessionInfo == null) {
            return;
        }
        ObjectNode event = JSON.createObjectNode().put("type", type);
        event.setAll(fields);
        event.set("session", sessionInfo);
        event.put("at", clock.instant().toString());
        webhooks.post(agent.webhook(), event, context, this::onWebhookAction);
    }

    /** The webhook answered with something to do: {@code speak}, {@code transfer} or {@code hangup}. */
    private void onWebhookAction(JsonNode answer) {
        if (state != State.ACTIVE) {
            return;
        }
        switch (answer.path("action").asText()) {
            case "speak" -> say(answer.path("text").asText(""));
            case "transfer" -> transferNow(answer.path("target").asText(""), "requested by the webhook");
            case "hangup" -> hangUp(answer.path("reason").asText("requested by the webhook"));
            default -> LOG.warnf("call %s: webhook answered an unknown action '%s'", callSid, answer.path("action").asText());
        }
    }

    private void transferNow(String targetName, String reason) {
        Optional<TransferTarget> target = agent.transfer().resolve(targetName);
        if (target.isEmpty()) {
            LOG.warnf("call %s: transfer target '%s' is not in agent '%s''s directory", callSid, targetName, agent.name());
            return;
        }
        transfer(targetName, target.get(), reason, "");
    }

    /** A menu key: its option runs at once; the model is told what happened so the conversation stays coherent. */
    private void onMenuKey(String key) {
        dev.switchboard.core.agent.Menu menu = activeMenu();
        MenuOption option = menu.options().get(key);
        if (option == null) {
            tell("system", "The caller pressed " + key + ", which is not a menu option.");
            createResponse(sayExactly(menu.invalid()));
            return;
        }
        tell("system", "The caller pressed " + key + " in the menu: "
                + option.action() + (option.target() == null ? "" : " " + option.target()) + ".");
        switch (option.action()) {
            case "say" -> createResponse(sayExactly(option.text()));
            case "agent" -> {
                if (!option.text().isBlank()) {
                    tell("system", option.text());
                }
                createResponse("");
            }
            case "transfer" -> afterSaying(option.text(), () -> transferNow(option.target(), "menu key " + key));
            case "hangup" -> afterSaying(option.text(), () -> hangUp("menu key " + key));
            case "step" -> {
                enterStep(agent.step(option.target()).orElse(null));
                createResponse(option.text().isBlank() ? "" : sayExactly(option.text()));
            }
            default -> { }
        }
    }

    /** Says a fixed text (if any), then acts once it has been heard. */
    private void afterSaying(String text, Runnable action) {
        if (text.isBlank()) {
            action.run();
            return;
        }
        pendingAction = action;
        createResponse(new PendingResponse(sayExactly(text), true));
    }

    private static String sayExactly(String text) {
        return "Say exactly this, and nothing else: " + text;
    }

    /** A response with one-off instructions ("" for none), now or after the current one ends. */
    private void createResponse(String instructions) {
        createResponse(new PendingResponse(instructions, false));
    }

    private void createResponse(PendingResponse response) {
        if (responseActive) {
            pendingResponses.addLast(response);
        } else {
            sendResponse(response);
        }
    }

    private void sendResponse(PendingResponse response) {
        if (response.armsAction()) {
            actionSpeechRequested = true; // the action runs once this response has been heard
        }
        realtime.send(response.instructions().isEmpty() ? ClientEvents.responseCreate()
                : ClientEvents.responseCreate(response.instructions()));
    }

    private boolean someoneTalking() {
        return callerTalking || playback.hasUnplayedAudio();
    }

    /** Keypad entries reach the model as one message and one response; the store keeps them for any process. */
    private final class KeypadListener implements DigitCollector.Listener {
        @Override
        public void onEntry(String digits, String endedBy) {
            recorder.keypad(callSid, "", Optional.of(new dev.switchboard.core.call.KeypadEntry(digits, endedBy, clock.instant())));
            emit("digits_collected", JSON.createObjectNode().put("digits", digits).put("ended_by", endedBy));
            if (state != State.ACTIVE) {
                return;
            }
            if (activeMenu() != null) {
                onMenuKey(digits);
                return;
            }
            tell("user", "Keypad entry: " + digits);
            if (responseActive) {
                followUpOwed = true;
            } else {
                requestFollowUp();
            }
        }

        @Override
        public void onBufferChanged(String buffer) {
            recorder.keypad(callSid, buffer, Optional.empty());
        }
    }

    private void onMark(String name) {
        if (name == null) {
            malformed("mark without a name");
            return;
        }
        Runnable tonesPlayed = toneMarks.remove(name);
        if (tonesPlayed != null) {
            tonesPlayed.run();
        }
        playback.played(name);
        if (actionArmed) {
            tryPendingAction();
        }
    }

    // ---------------------------------------------------------------- Realtime side

    @Override
    public void onRealtimeText(String json) {
        if (state == State.ENDED) {
            return;
        }
        try {
            HotFrames.AudioDelta delta = hot.realtimeAudioDelta(json);
            if (delta != null) {
                onAudioDelta(delta);
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
        switch (e.path("type").asText("")) {
            case "response.created" -> {
                responseActive = true;
                callerTurnUnanswered = false;
                responseId = e.path("response").path("id").asText(null);
            }
            case "input_audio_buffer.speech_started" -> {
                callerTalking = true;
                bargeIn();
            }
            case "input_audio_buffer.speech_stopped" -> callerTalking = false;
            case "input_audio_buffer.committed" -> {
                callerTurnUnanswered = true;
                lastCallerTurnNanos = System.nanoTime();
                conversation.reserveCallerTurn(e.path("item_id").asText(null));
            }
            case "conversation.item.input_audio_transcription.failed" -> conversation.dropReservation(e.path("item_id").asText(null));
            case "response.function_call_arguments.done" -> onFunctionCall(e);
            case "response.done" -> onResponseDone(e.path("response"));
            case "response.output_audio_transcript.done" -> {
                recorder.transcript(callSid, "agent", e.path("transcript").asText(""));
                conversation.add("assistant", e.path("transcript").asText(""));
            }
            case "conversation.item.input_audio_transcription.completed" ->
                    onCallerTranscript(e.path("item_id").asText(null), e.path("transcript").asText(""));
            case "error" -> onRealtimeError(e.path("error"));
            default -> { }
        }
    }

    private void onAudioDelta(HotFrames.AudioDelta e) {
        String delta = e.delta();
        String itemId = e.itemId();
        if (delta == null || itemId == null || delta.isEmpty() || !TwilioMessages.isBase64(delta)) {
            return;
        }
        if (suppressedResponseId != null && suppressedResponseId.equals(e.responseId())) {
            return; // audio of a response the caller interrupted, still in flight
        }
        twilio.send(TwilioMessages.media(streamSid, delta));
        twilio.send(TwilioMessages.mark(streamSid, playback.sent(itemId, TwilioMessages.decodedLength(delta))));
    }

    /** The caller started talking: stop the agent where the caller stopped hearing it. */
    private void bargeIn() {
        if (playback.hasUnplayedAudio()) {
            twilio.send(TwilioMessages.clear(streamSid));
            String item = playback.currentItem();
            long played = Math.min(playback.playedMs(item), playback.sentMs(item));
            if (played > 0) {
                realtime.send(ClientEvents.truncate(item, played));
            }
            playback.flush();
        }
        if (responseActive) {
            suppressedResponseId = responseId;
            realtime.send(ClientEvents.responseCancel());
        }
    }

    private void onFunctionCall(JsonNode e) {
        String callId = e.path("call_id").asText("");
        String name = e.path("name").asText("");
        Tool tool = tools.get(name);
        String output;
        if (tool == null) {
            output = errorJson("no tool named '" + name + "' is available on this call");
        } else {
            JsonNode args;
            try {
                String raw = e.path("arguments").asText("");
                args = raw.isBlank() ? JSON.createObjectNode() : JSON.readTree(raw);
                ToolContext toolContext = new ToolContext(callSid, agent, clock, this, later -> completeTool(callId, later));
                JsonNode result = tool.call(args, toolContext);
                if (result == null) {
                    return; // the tool answers later, through completeTool
                }
                output = JSON.writeValueAsString(result);
            } catch (ToolException ex) {
                output = errorJson(ex.getMessage());
            } catch (Exception ex) {
                LOG.warnf("call %s: tool %s failed: %s", callSid, name, ex.toString());
                output = errorJson("the tool failed; tell the caller you could not do it");
            }
        }
        realtime.send(ClientEvents.functionCallOutput(callId, output));
        conversation.add("system", "You called " + name + " " + e.path("arguments").asText("{}") + "; it returned " + output);
        if (holdPending) {
            if (!responseActive) {
                enterHold(); // the agent says nothing more: hold now
            }
            return;
        }
        followUpOwed = true;
        if (!responseActive) {
            requestFollowUp();
        }
    }

    /** A tool that finished later (tones played, say): its output, then the model continues. */
    private void completeTool(String callId, JsonNode result) {
        if (state != State.ACTIVE) {
            return;
        }
        realtime.send(ClientEvents.functionCallOutput(callId, result.toString()));
        if (responseActive) {
            followUpOwed = true;
        } else {
            requestFollowUp();
        }
    }

    private void onResponseDone(JsonNode response) {
        responseActive = false;
        if (response.path("id").asText("").equals(suppressedResponseId)) {
            suppressedResponseId = null;
        }
        JsonNode u = response.path("usage");
        if (u.isObject()) {
            recorder.usage(callSid, new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                    u.path("input_token_details").path("text_tokens").asLong(),
                    u.path("input_token_details").path("audio_tokens").asLong(),
                    u.path("input_token_details").path("cached_tokens").asLong(),
                    u.path("output_token_details").path("text_tokens").asLong(),
                    u.path("output_token_details").path("audio_tokens").asLong(), 1, 0));
        }
        playback.forgetSettledItems();
        if (holdPending) {
            enterHold();
            return;
        }
        if (pendingAction != null && actionSpeechRequested && !actionArmed) {
            armPendingAction();
        }
        if (followUpOwed) {
            requestFollowUp();
        } else if (!pendingResponses.isEmpty()) {
            sendResponse(pendingResponses.pollFirst());
        }
    }

    private void requestFollowUp() {
        followUpOwed = false;
        actionSpeechRequested = pendingAction != null;
        realtime.send(ClientEvents.responseCreate());
    }

    // ---------------------------------------------------------------- acting on the call

    @Override
    public void transferAfterSpeaking(String targetName, TransferTarget target, String reason, String summary) {
        if (pendingAction == null) {
            pendingAction = () -> transfer(targetName, target, reason, summary);
        }
    }

    // ---------------------------------------------------------------- collect_digits

    @Override
    public void collect(DigitSpec spec) {
        if (collecting == null) {
            ordinaryKeypad = keypad;
        } else {
            keypad.close();
        }
        collecting = spec;
        attemptsLeft = spec.retries() + 1;
        keypad = new DigitCollector(context.owner(), new KeypadSettings(spec.terminator(), spec.maxLength(), spec.timeoutMs(),
                "clear", agent.keypad().inbandDetection()), this::someoneTalking, new CollectListener());
    }

    private void onCallerTranscript(String itemId, String transcript) {
        if (collecting == null) {
            recorder.transcript(callSid, "caller", transcript);
            conversation.addCallerTurn(itemId, transcript);
            return;
        }
        String spoken = DigitSpec.fromSpeech(transcript);
        // a secret said aloud is kept out of the record: digits and number words are masked
        String kept = collecting.secret() ? maskNumbers(transcript) : transcript;
        recorder.transcript(callSid, "caller", kept);
        conversation.addCallerTurn(itemId, kept);
        if (!spoken.isEmpty()) {
            onCollected(spoken, "voice");
        }
    }

    static String maskNumbers(String text) {
        return text.replaceAll("(?i)\\b(zero|oh|one|two|three|four|five|six|seven|eight|nine)\\b", "•").replaceAll("[0-9]", "•");
    }

    private final class CollectListener implements DigitCollector.Listener {
        @Override
        public void onEntry(String digits, String endedBy) {
            if (endedBy.equals("max-length") && collecting != null && !collecting.terminator().isEmpty()) {
                swallowKey = collecting.terminator();
                swallowUntilNanos = System.nanoTime() + SWALLOW_TERMINATOR_NANOS;
            }
            onCollected(digits, "keypad");
        }

        @Override
        public void onBufferChanged(String buffer) {
            if (collecting != null) {
                recorder.keypad(callSid, collecting.shown(buffer), Optional.empty());
            }
        }
    }

    /** A value for collect_digits, typed or said: checked before the model hears anything of it. */
    private void onCollected(String digits, String how) {
        DigitSpec spec = collecting;
        if (spec == null || state != State.ACTIVE) {
            return;
        }
        Optional<String> problem = spec.problem(digits);
        recorder.keypad(callSid, "", Optional.of(new dev.switchboard.core.call.KeypadEntry(spec.shown(digits),
                problem.isEmpty() ? how : "invalid " + how, clock.instant())));
        emit("digits_collected", JSON.createObjectNode().put("name", spec.name()).put("digits", spec.shown(digits))
                .put("valid", problem.isEmpty()).put("via", how));
        if (problem.isEmpty()) {
            if (spec.secret()) {
                emit("secret_collected", JSON.createObjectNode().put("name", spec.name()).put("value", digits));
                tell("system", "The caller gave their " + spec.name() + " ("
                        + digits.length() + " digits). It was passed on securely; you cannot see it and must not ask for it again.");
            } else {
                tell("user", "Keypad entry for " + spec.name() + ": " + digits);
                if (spec.confirm()) {
                    tell("system", "Read the " + spec.name()
                            + " back digit by digit and ask the caller to confirm it.");
                }
            }
            stopCollecting();
            if (collectingForStep) {
                collectingForStep = false;
                enterStep(nextStep());
            }
        } else if (--attemptsLeft > 0) {
            tell("system", "Entry rejected: " + problem.get() + ". Ask the caller again ("
                    + attemptsLeft + " attempt" + (attemptsLeft == 1 ? "" : "s") + " left).");
        } else {
            tell("system", "Collecting the " + spec.name() + " failed: " + problem.get()
                    + ". Offer the caller another way.");
            stopCollecting();
        }
        if (how.equals("keypad")) {
            createResponse(""); // speech already led to a response of its own
        }
    }

    private void stopCollecting() {
        collecting = null;
        keypad.close();
        keypad = ordinaryKeypad;
    }

    // ---------------------------------------------------------------- hold

    @Override
    public void holdAfterThisTurn(String reason) {
        if (holdLimitReached) {
            return; // the agent is leaving its message: no more waiting
        }
        holdPending = true;
        holdReason = reason;
    }

    @Override
    public void continueHold(String reason) {
        if (wokenFromHold && holdLine != null) {
            holdLine.dismissLastWake(); // the same recording will not wake the agent again
            long audioMs = (audioBytesToModel - audioBytesAtWake) / 8;
            recorder.hold(callSid, dev.switchboard.core.call.HoldUsage.falseWake(audioMs));
            emit("hold_false_wake", JSON.createObjectNode().put("reason", reason).put("audio_ms", audioMs));
        }
        holdAfterThisTurn(reason);
    }

    /**
     * On hold: the conversation is saved to the call's {@code CONTEXT} item and the Realtime session
     * closes (no audio, no event, no cost while waiting); the line's audio goes to the local hold
     * listener instead, until a person speaks, the hold limit passes or the call ends.
     */
    private void enterHold() {
        holdPending = false;
        if (state != State.ACTIVE) {
            return;
        }
        if (responseActive) {
            realtime.send(ClientEvents.responseCancel());
        }
        recorder.saveConversation(callSid, conversation.snapshot(step == null ? "" : step.name(),
                "On hold (" + holdReason + ")", task, clock.instant()));
        if (realtime != null) {
            realtime.close();
            realtime = null;
        }
        responseActive = false;
        followUpOwed = false;
        pendingResponses.clear();
        wokenFromHold = false;
        state = State.ON_HOLD;
        if (holdLine == null) {
            holdLine = new dev.switchboard.relay.hold.HoldListener(speechModel, agent.hold().recogniseRepeats());
            warmRealtime = new WarmRealtime(context.owner(), this, listener -> connector.connect(settings, listener));
        }
        holdLine.startListening();
        holdStartedNanos = System.nanoTime();
        holdTimer = context.owner().setTimer(Math.max(1, (long) (agent.hold().maxMinutes() * 60_000)), t -> {
            holdTimer = -1;
            onHoldLimit();
        });
        recorder.hold(callSid, dev.switchboard.core.call.HoldUsage.oneHold());
        emit("hold_started", JSON.createObjectNode().put("reason", holdReason));
        LOG.infof("call %s: on hold (%s); the Realtime session is closed until a person speaks", callSid, holdReason);
    }

    private void listenOnHold(String payload) {
        byte[] audio = java.util.Base64.getDecoder().decode(payload);
        switch (holdLine.onHoldFrame(payload, audio)) {
            case SPEECH_STARTING -> warmRealtime.warmUp();
            case WAKE -> wake();
            case REPEAT_IGNORED -> {
                recorder.hold(callSid, dev.switchboard.core.call.HoldUsage.repeatIgnored());
                emit("hold_repeat_ignored", JSON.createObjectNode());
                LOG.infof("call %s: a recording dismissed before is playing again; staying on hold", callSid);
            }
            case NONE -> { }
        }
    }

    /** Leaves hold: the time held, and what it would have cost with the session open, go on the record. */
    private long leaveHold(boolean woken) {
        long heldMs = (System.nanoTime() - holdStartedNanos) / 1_000_000;
        if (holdTimer >= 0) {
            context.owner().cancelTimer(holdTimer);
            holdTimer = -1;
        }
        boolean warm = woken && warmRealtime.isWarm();
        recorder.hold(callSid, new dev.switchboard.core.call.HoldUsage(0, heldMs, woken ? 1 : 0, 0, 0, 0,
                holdCosts.microUsdFor(heldMs), warm ? 1 : 0));
        return heldMs;
    }

    /** A person speaks on the hold line: a new session, seeded with the conversation, hears their first words. */
    private void wake() {
        wakes++;
        long heldMs = leaveHold(true);
        LOG.infof("call %s: speech after %d ms on hold (wake %d); reopening the Realtime session", callSid, heldMs, wakes);
        early.clear();
        early.addAll(holdLine.takePreRoll()); // sent first, so the new session hears the words that woke it
        wokenFromHold = true;
        audioBytesAtWake = audioBytesToModel;
        // warm_socket: the Realtime socket was opened at the first sound of speech, so the wake skips the handshakes
        emit("hold_woken", JSON.createObjectNode().put("held_ms", heldMs).put("warm_socket", warmRealtime.isWarm()));
        state = State.ACTIVE; // renewSession expects a live call
        renewSession("You were on hold for " + heldMs / 1000 + " seconds. Someone has just started speaking: listen to them"
                + " and answer. If it is only a recording or music, call continue_hold.", false);
    }

    /** Waited on hold as long as the profile allows: hang up, or leave the configured message and hang up. */
    private void onHoldLimit() {
        if (state != State.ON_HOLD) {
            return;
        }
        long heldMs = leaveHold(false);
        String why = "waited on hold for " + heldMs / 1000 + " s, the profile's limit";
        LOG.infof("call %s: %s", callSid, why);
        emit("hold_limit", JSON.createObjectNode().put("held_ms", heldMs));
        if (!agent.hold().onLimit().equals("message")) {
            hangUp(why);
            return;
        }
        state = State.ACTIVE;
        holdLimitReached = true;
        onSessionReady = () -> afterSaying(agent.hold().limitMessage(), () -> hangUp(why));
        renewSession("You waited on hold too long and are giving up on this call.", false);
    }

    /** The call reached its profile's total duration: the agent says so and hangs up (at once if on hold). */
    private void onCallLimit() {
        String why = "the call reached its limit of " + agent.maxCallMinutes() + " minutes";
        LOG.infof("call %s: %s", callSid, why);
        switch (state) {
            case ON_HOLD -> {
                leaveHold(false);
                hangUp(why);
            }
            case ACTIVE -> afterSaying("I'm sorry, we have reached the time limit for this call. Goodbye.", () -> hangUp(why));
            case CONNECTING -> hangUp(why);
            default -> { }
        }
    }

    // ---------------------------------------------------------------- answering machines

    /**
     * Twilio's answering machine verdict on a call the agent placed. A person ({@code human},
     * {@code unknown}) changes nothing; a machine or a fax gets what the profile says: hang up at once,
     * or (after the beep, which detection with message end waits for) the message, then hang up.
     */
    public void onAnsweredBy(String answeredBy) {
        if (answeredByHandled || state == State.ENDED || agent == null) {
            return;
        }
        boolean machine = answeredBy.startsWith("machine") || answeredBy.equals("fax");
        if (!machine) {
            return;
        }
        answeredByHandled = true;
        emit("answering_machine", JSON.createObjectNode().put("answered_by", answeredBy));
        dev.switchboard.core.agent.VoicemailSettings voicemail = agent.voicemail();
        if (!voicemail.leavesMessage() || answeredBy.equals("fax") || state != State.ACTIVE) {
            LOG.infof("call %s: answered by %s; hanging up", callSid, answeredBy);
            hangUp(new Outcome("machine", "answered by " + answeredBy + ": hung up", Optional.empty()));
            return;
        }
        LOG.infof("call %s: answered by %s; leaving the message", callSid, answeredBy);
        bargeIn(); // whatever the agent was saying to the greeting stops
        pendingResponses.clear();
        followUpOwed = false;
        afterSaying(voicemail.message(),
                () -> hangUp(new Outcome("machine", "answered by " + answeredBy + ": left a message", Optional.empty())));
    }

    // ---------------------------------------------------------------- flows

    @Override
    public void completeStep(String result) {
        if (step == null || !step.completion().equals("tool")) {
            return;
        }
        LOG.infof("call %s: step '%s' complete", callSid, step.name());
        enterStep(nextStep()); // the tool's own follow-up response opens the next step
    }

    private dev.switchboard.core.agent.Step nextStep() {
        return step == null || step.next().isEmpty() ? null : agent.step(step.next()).orElse(null);
    }

    /** Moves the flow to {@code next} (null: the flow is over, the agent carries on as itself). */
    private void enterStep(dev.switchboard.core.agent.Step next) {
        step = next;
        tools = toolRegistry.forStep(agent, step);
        if (collecting == null) {
            keypad.close();
            keypad = keypadFor(activeMenu());
        }
        realtime.send(ClientEvents.sessionUpdate(agent, tools.values(), instructions()));
        recorder.step(callSid, step == null ? "" : step.name());
        tell("system", step == null ? "The flow is complete; carry on as yourself."
                : "Now in step '" + step.name() + "'. " + step.instructions());
        startStepCollection();
    }

    private void startStepCollection() {
        if (step == null || step.collect() == null) {
            return;
        }
        dev.switchboard.core.agent.CollectSettings c = step.collect();
        int min = c.length() > 0 ? c.length() : Math.max(1, c.minLength());
        int max = c.length() > 0 ? c.length() : (c.maxLength() > 0 ? c.maxLength() : 32);
        collect(new DigitSpec(c.name(), min, max, c.terminator(), c.timeoutMs(),
                c.pattern() == null ? Optional.empty() : Optional.of(java.util.regex.Pattern.compile(c.pattern())),
                c.retries(), c.confirm() && !c.secret(), c.secret()));
        collectingForStep = true;
    }

    private dev.switchboard.core.agent.Menu activeMenu() {
        if (step != null) {
            return step.menu();
        }
        return agent.menu();
    }

    /** With a menu every key is an entry of its own (# and * included), routed at once. */
    private DigitCollector keypadFor(dev.switchboard.core.agent.Menu menu) {
        KeypadSettings keys = menu == null ? agent.keypad()
                : new KeypadSettings("", 1, agent.keypad().interDigitTimeoutMs(), "digit", agent.keypad().inbandDetection());
        return new DigitCollector(context.owner(), keys, this::someoneTalking, new KeypadListener());
    }

    private String instructions() {
        String base = task.isEmpty() ? agent.instructions() : agent.instructions() + "\n\nYour task on this call: " + task;
        return step == null ? base : base + "\n\nCurrent step: " + step.name() + ". " + step.instructions();
    }

    @Override
    public void playTones(byte[] mulaw, Runnable whenPlayed) {
        String mark = "dtmf" + (++toneCounter);
        toneMarks.put(mark, whenPlayed);
        twilio.send(TwilioMessages.media(streamSid, java.util.Base64.getEncoder().encodeToString(mulaw)));
        twilio.send(TwilioMessages.mark(streamSid, mark));
    }

    @Override
    public void hangUpAfterSpeaking(String reason) {
        if (pendingAction == null) {
            pendingAction = () -> hangUp(reason);
        }
    }

    /** The agent's last words (handoff, goodbye) were generated: act once the caller has heard them. */
    private void armPendingAction() {
        actionArmed = true;
        actionTimer = context.owner().setTimer(ACTION_DEADLINE_MS, t -> {
            actionTimer = -1;
            if (actionArmed) {
                LOG.warnf("call %s: the last marks did not come back in %d ms; acting anyway", callSid, ACTION_DEADLINE_MS);
                runPendingAction();
            }
        });
        tryPendingAction();
    }

    private void tryPendingAction() {
        if (!playback.hasUnplayedAudio()) {
            runPendingAction();
        }
    }

    private void runPendingAction() {
        Runnable action = pendingAction;
        pendingAction = null;
        actionArmed = false;
        actionSpeechRequested = false;
        if (actionTimer >= 0) {
            context.owner().cancelTimer(actionTimer);
            actionTimer = -1;
        }
        if (action != null && state != State.ENDED) {
            action.run();
        }
    }

    private void transfer(String targetName, TransferTarget target, String reason, String summary) {
        transferringTo = target.address();
        // if nobody answers, the caller comes back to a new session (perhaps on another relay) that starts from this
        recorder.saveConversation(callSid, conversation.snapshot(step == null ? "" : step.name(),
                "Transferred to " + targetName + " (" + reason + ")", task, clock.instant()));
        recorder.offLoop(() -> actions.handle(new CallActionRequest(callSid, "transfer", targetName, summary, reason)))
                .onComplete(ar -> {
                    CallActionResult result = ar.succeeded() ? ar.result() : null;
                    if (result != null && result.ok()) {
                        LOG.infof("call %s: handed to %s; Twilio stops the stream next", callSid, target.address());
                        return; // Twilio now stops the stream; that stop is the transfer, not a hang-up
                    }
                    transferringTo = null;
                    String why = result != null ? result.message() : String.valueOf(ar.cause());
                    LOG.warnf("call %s: transfer to %s failed: %s", callSid, target.address(), why);
                    if (state == State.ACTIVE) {
                        tell("system", "The transfer to " + targetName
                                + " failed (" + why + "). Tell the caller and offer another way to help.");
                        realtime.send(ClientEvents.responseCreate());
                    }
                });
    }

    private void hangUp(String reason) {
        hangUp(new Outcome("hung_up", reason, Optional.empty()));
    }

    /** Ends the call over REST (exactly once), then here, with {@code outcome} on the record. */
    private void hangUp(Outcome outcome) {
        if (hangingUp) {
            return;
        }
        hangingUp = true;
        recorder.offLoop(() -> actions.hangUp(callSid, outcome))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.errorf("call %s: the REST hang-up failed (%s); closing the stream, which ends the call",
                                callSid, ar.cause().getMessage());
                    }
                    end(outcome, true);
                });
    }

    /** The agent speaks {@code text} (from {@code call-action say}); false if the call is not live here. */
    public boolean say(String text) {
        if (state != State.ACTIVE) {
            return false;
        }
        createResponse(sayInstructions(text));
        return true;
    }

    private static String sayInstructions(String text) {
        return "Say exactly this to the caller, then carry on with the conversation: " + text;
    }

    /** Runs on this call's event loop, from any thread. */
    public void onContext(Runnable r) {
        context.runOnContext(v -> r.run());
    }

    private void onRealtimeError(JsonNode error) {
        String code = error.path("code").asText("");
        // Most Realtime errors are not fatal (a cancel with nothing to cancel, say); the socket's close says when it is.
        LOG.warnf("call %s: Realtime error %s: %s", callSid, code, error.path("message").asText(""));
    }

    @Override
    public void onRealtimeClosed(int code, String reason) {
        if (state == State.ENDED) {
            return;
        }
        String why = code + (reason.isBlank() ? "" : " " + reason);
        if (state == State.ACTIVE && reconnects < MAX_RECONNECTS) {
            LOG.warnf("call %s: the Realtime session closed (%s); opening a new one with the conversation so far", callSid, why);
            renewSession("The line was renewed; carry on the conversation naturally.", true);
            return;
        }
        LOG.errorf("call %s: the Realtime session closed unexpectedly (%s)", callSid, why);
        end(Outcome.failed("realtime session closed: " + why), true);
    }

    /**
     * Replaces the Realtime session (it dropped, or it nears its 60-minute limit): caller audio is
     * buffered meanwhile, and the new session is seeded with the conversation from the call record,
     * so the caller hears at most a short gap and the agent keeps its context.
     */
    private void renewSession(String note, boolean afterFailure) {
        if (afterFailure) {
            reconnects++;
        }
        if (realtime != null) {
            realtime.close();
        }
        realtime = null;
        state = State.CONNECTING;
        responseActive = false;
        callerTurnUnanswered = false;
        conversation.forgetUnheardTurns(); // their transcripts would have come on the closed socket
        suppressedResponseId = null;
        followUpOwed = false;
        pendingResponses.clear();
        playback.flush(); // items of the old session cannot be truncated in the new one
        boolean wakingFromHold = !afterFailure && !early.isEmpty();
        if (!wakingFromHold) { // a hold saved it already
            recorder.saveConversation(callSid, conversation.snapshot(step == null ? "" : step.name(),
                    afterFailure ? "Session replaced after it dropped" : "Session renewed", task, clock.instant()));
        }
        Future<RealtimeLink> connecting = warmRealtime != null ? warmRealtime.take() : connector.connect(settings, this);
        connecting.onComplete(ar -> {
            if (ar.failed() || state == State.ENDED) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
                end(Outcome.failed("realtime reconnect failed" + (ar.failed() ? ": " + ar.cause().getMessage() : "")), true);
                return;
            }
            realtime = ar.result();
            sessionStartedNanos = warmRealtime != null ? warmRealtime.lastStartedNanos() : System.nanoTime();
            realtime.send(ClientEvents.sessionUpdate(agent, tools.values(), instructions()));
            List<dev.switchboard.core.call.SavedConversation.Item> restored = conversation.recent();
            seed();
            realtime.send(ClientEvents.conversationItem("system", note)); // for this session only, not kept
            state = State.ACTIVE;
            while (!early.isEmpty()) {
                sendAudio(early.pollFirst());
            }
            boolean callerWaits = !wakingFromHold && onSessionReady == null && !restored.isEmpty()
                    && "user".equals(restored.get(restored.size() - 1).role());
            if (callerWaits) {
                realtime.send(ClientEvents.responseCreate()); // the caller spoke last and is owed an answer
            }
            LOG.infof("call %s: new Realtime session with %d conversation items restored", callSid, restored.size());
            Runnable ready = onSessionReady;
            onSessionReady = null;
            if (ready != null) {
                ready.run();
            }
        });
    }

    /** Renews the session ahead of its 60-minute limit, at a quiet moment (nobody talking, nothing queued). */
    private void checkSessionAge() {
        if (state != State.ACTIVE || System.nanoTime() - sessionStartedNanos < renewAfterNanos) {
            return;
        }
        if (responseActive || callerTalking || playback.hasUnplayedAudio() || pendingAction != null || collecting != null) {
            return; // try again at the next check
        }
        if ((callerTurnUnanswered || conversation.awaitsCallerWords()) && System.nanoTime() - lastCallerTurnNanos < TURN_SETTLE_NANOS) {
            return; // the caller has just spoken: the old session owes an answer or the words themselves
        }
        LOG.infof("call %s: renewing the Realtime session before its time limit", callSid);
        renewSession("The line was renewed; carry on the conversation naturally.", false);
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
        State was = state;
        if (was == State.ON_HOLD) {
            leaveHold(false);
        }
        state = State.ENDED;
        early.clear();
        pendingAction = null;
        for (long timer : new long[] {ageTimer, holdTimer, callLimitTimer}) {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
        }
        ageTimer = -1;
        holdTimer = -1;
        callLimitTimer = -1;
        if (keypad != null) {
            keypad.close();
        }
        if (ordinaryKeypad != null) {
            ordinaryKeypad.close();
        }
        if (actionTimer >= 0) {
            context.owner().cancelTimer(actionTimer);
            actionTimer = -1;
        }
        if (realtime != null) {
            realtime.close();
        }
        if (warmRealtime != null) {
            warmRealtime.discard();
        }
        if (closeTwilio && twilio.isOpen()) {
            twilio.close(outcome.kind().equals("failed") ? CLOSE_FAILED : 1000, truncateReason(outcome.reason()));
        }
        if (registered) {
            emit("session_end", JSON.createObjectNode().put("outcome", outcome.kind()).put("reason", outcome.reason()));
            registry.remove(callSid, this);
            recorder.usage(callSid, new Usage(0, 0, 0, 0, 0, 0, 0, 0, audioBytesToModel / 8));
            recorder.finish(callSid, streamSid, outcome);
        }
        if (was != State.AWAITING_START && callSid != null) {
            LOG.infof("call %s ended: %s (%s)%s", callSid, outcome.kind(), outcome.reason(),
                    malformedFrames > 0 ? ", " + malformedFrames + " malformed frames ignored" : "");
        }
    }

    private void refuse(String reason) {
        LOG.warnf("media stream refused%s: %s", callSid == null ? "" : " for call " + callSid, reason);
        state = State.ENDED;
        early.clear();
        twilio.close(CLOSE_REFUSED, "stream refused");
    }

    private void failEarly(String reason) {
        state = State.ENDED;
        early.clear();
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

    private static String errorJson(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }
}
