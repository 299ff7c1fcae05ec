package dev.switchboard.relay.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.Menu;
import dev.switchboard.core.agent.VoicemailSettings;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.SavedConversation;
import dev.switchboard.core.call.Usage;
import dev.switchboard.relay.call.CallSession.State;
import dev.switchboard.relay.callee.CalleeGate;
import dev.switchboard.relay.customtool.McpActivity;
import dev.switchboard.relay.ending.AnsweringMachine;
import dev.switchboard.relay.ending.CallExits;
import dev.switchboard.relay.ending.CallLimit;
import dev.switchboard.relay.ending.LastWords;
import dev.switchboard.relay.ending.WarmHandover;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.flow.Flow;
import dev.switchboard.relay.hold.Hold;
import dev.switchboard.relay.hold.HoldCosts;
import dev.switchboard.relay.keypad.Keypad;
import dev.switchboard.relay.keypad.KeypadHost;
import dev.switchboard.relay.media.HotFrames;
import dev.switchboard.relay.media.TwilioLink;
import dev.switchboard.relay.media.TwilioMessages;
import dev.switchboard.relay.playback.AgentAudio;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.session.RealtimeSession;
import dev.switchboard.relay.tool.HoldTool;
import dev.switchboard.relay.turn.ConversationLog;
import dev.switchboard.relay.turn.Responses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A call once its stream is claimed: its parts, made for its agent, and the Realtime session's events
 * routed among them. The parts do the work; this class decides who hears what: speech starting is a
 * barge-in, a response ending may arm a hang-up or put the call on hold, a transcript may be a number
 * being collected, a function call goes to the tools of the step in force.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class LiveCall implements KeypadHost, Hold.Host {

    private static final Logger LOG = Logger.getLogger(LiveCall.class);
    static final int MAX_LOGGED_ERRORS = 3;

    private final CallSession session;
    private final CallServices services;
    private final String callSid;
    private final AgentProfile agent;
    private final RealtimeSession realtime;
    private final ConversationLog conversation;
    private final CallEvents events;
    private final AgentAudio audio;
    private final LastWords lastWords;
    private final Responses responses;
    private final Flow flow;
    private final Keypad keypad;
    private final Hold hold;
    private final CallExits exits;
    private final CallLimit limit;
    private final SessionLifecycle lifecycle;
    private final AnsweringMachine answeringMachine;
    private final CalleeGate callee;
    private final WarmHandover warm;
    private final FlowSteps steps;
    private final FunctionCalls functionCalls;
    private final McpActivity mcp;
    private final ConversationSaves saves;
    private boolean callerTalking;
    private int realtimeErrors;

    LiveCall(CallSession session, CallServices services, CallRecord call, AgentProfile agent, TwilioLink twilio,
             String streamSid, RealtimeSession realtime, ConversationLog conversation, CallEvents events) {
        Context context = Vertx.currentContext();
        Vertx vertx = context.owner();
        this.session = session;
        this.services = services;
        this.callSid = call.callSid();
        this.agent = agent;
        this.realtime = realtime;
        this.conversation = conversation;
        this.events = events;
        this.audio = new AgentAudio(twilio, streamSid);
        this.lastWords = new LastWords(vertx, callSid, audio::unplayed, () -> session.state() == State.ENDED);
        this.responses = new Responses(realtime, conversation, lastWords);
        this.flow = new Flow(agent, services.tools(), call.step(), call.task().orElse(""), call.variables());
        this.keypad = new Keypad(vertx, callSid, agent, services.clock(), services.recorder(), events, responses, this,
                this::someoneTalking);
        HoldCosts holdCosts = new HoldCosts(services.prices().inputAudioTokensPerSecond(), services.prices().inputAudioUsdPerMillion());
        this.hold = new Hold(vertx, callSid, agent.hold(), services.speechModel(), holdCosts, services.recorder(), events,
                this, session, listener -> services.connector().connect(services.settings(), listener));
        this.exits = new CallExits(callSid, agent.transfer(), agent.fallback(), services.recorder(), services.actions(), this::snapshot,
                outcome -> session.end(outcome, true), this::transferFailed, events);
        this.limit = new CallLimit(vertx, callSid, agent.maxCallMinutes(), call.createdAt(), services.clock(), this::onCallLimit);
        this.mcp = new McpActivity(callSid, services.recorder(), conversation, events);
        this.functionCalls = new FunctionCalls(session, services, this, new ToolControls(this, session::audioBytesToModel),
                task -> context.runOnContext(v -> task.run()));
        // a briefing call reaching voicemail hangs up: the caller's agent is told, it leaves no message
        this.answeringMachine = new AnsweringMachine(callSid, flow.briefing() ? VoicemailSettings.DEFAULT : agent.voicemail(), events,
                exits, responses, this::bargeIn, this::live);
        this.warm = new WarmHandover(callSid, services.recorder(), services.warmTransfers(), services.actions(), responses, lastWords,
                exits, events, (transfers, name, target, reason, summary) -> transfers.start(call, agent, name, target, reason, summary));
        boolean placedAndListening = call.direction() == Direction.OUTBOUND && !agent.outboundSpeaksFirst()
                && !agent.transcriptionModel().isBlank() && !call.resuming() && call.resumes() == 0;
        this.callee = new CalleeGate(vertx, callSid, agent.callee(), placedAndListening, agent.tools().contains(HoldTool.WAIT),
                new CalleeLink(this, realtime), events, services.recorder());
        this.steps = new FlowSteps(callSid, flow, keypad, realtime, callee::autoRespond, services.recorder(), responses);
        this.lifecycle = new SessionLifecycle(session, services, this, realtime, conversation, responses, audio, flow, hold);
        this.saves = new ConversationSaves(vertx, services.recorder(), callSid, () -> snapshot("Saved as the call goes"), this::live);
    }

    AgentAudio audio() {
        return audio;
    }

    WarmHandover warm() {
        return warm;
    }

    CalleeGate callee() {
        return callee;
    }

    Keypad keypad() {
        return keypad;
    }

    Hold hold() {
        return hold;
    }

    CallExits exits() {
        return exits;
    }

    LastWords lastWords() {
        return lastWords;
    }

    Responses responses() {
        return responses;
    }

    SessionLifecycle conversations() {
        return lifecycle;
    }

    AgentProfile agent() {
        return agent;
    }

    Flow flow() {
        return flow;
    }

    CallEvents events() {
        return events;
    }

    RealtimeSession realtime() {
        return realtime;
    }

    ConversationLog conversation() {
        return conversation;
    }

    // ---------------------------------------------------------------- Realtime events

    void onAudioDelta(HotFrames.AudioDelta e) {
        String delta = e.delta();
        if (delta == null || e.itemId() == null || delta.isEmpty() || !TwilioMessages.isBase64(delta)) {
            return;
        }
        if (!responses.suppressed(e.responseId())) { // else: audio of a response the caller interrupted, still in flight
            audio.play(e.itemId(), delta);
        }
    }

    void onRealtimeEvent(JsonNode e) {
        switch (e.path("type").asText("")) {
            case "response.created" -> responses.created(e.path("response").path("id").asText(null));
            case "session.updated" -> lifecycle.confirmed();
            case "mcp_list_tools.failed" -> mcp.listFailed(e);
            case "response.output_item.done" -> mcp.itemDone(e.path("item"));
            case "input_audio_buffer.speech_started" -> {
                callerTalking = true;
                callee.speechStarted();
                bargeIn();
            }
            case "input_audio_buffer.speech_stopped" -> callerTalking = false;
            case "input_audio_buffer.committed" -> {
                responses.callerTurnCommitted();
                conversation.reserveCallerTurn(e.path("item_id").asText(null));
                callee.turnEnded();
            }
            case "conversation.item.input_audio_transcription.failed" -> {
                conversation.dropReservation(e.path("item_id").asText(null));
                callee.heard("");
            }
            case "response.function_call_arguments.done" -> functionCalls.run(e);
            case "response.done" -> onResponseDone(e.path("response"));
            case "response.output_audio_transcript.done" -> {
                String said = e.path("transcript").asText("");
                services.recorder().transcript(callSid, "agent", said);
                conversation.add("assistant", said);
                events.emit("transcript", CallEvents.fields().put("role", "agent").put("text", said));
            }
            case "conversation.item.input_audio_transcription.completed" ->
                    onCallerTranscript(e.path("item_id").asText(null), e.path("transcript").asText(""));
            case "error" -> onRealtimeError(e.path("error"));
            default -> { }
        }
    }

    /**
     * Most Realtime errors are not fatal (a cancel with nothing to cancel, say); the socket's close says
     * when one is. Logged for the first few only, so a misbehaving peer cannot flood the log.
     */
    private void onRealtimeError(JsonNode error) {
        if (++realtimeErrors <= MAX_LOGGED_ERRORS) {
            LOG.warnf("call %s: Realtime error %s: %s", callSid, error.path("code").asText(""), error.path("message").asText(""));
        }
    }

    private void onResponseDone(JsonNode response) {
        responses.done(response.path("id").asText(""));
        saves.changed();
        JsonNode u = response.path("usage");
        if (u.isObject()) {
            events.emit("usage", CallEvents.fields().put("input_tokens", u.path("input_tokens").asLong())
                    .put("output_tokens", u.path("output_tokens").asLong())
                    .put("input_audio_tokens", u.path("input_token_details").path("audio_tokens").asLong())
                    .put("output_audio_tokens", u.path("output_token_details").path("audio_tokens").asLong()));
            services.recorder().usage(callSid, new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                    u.path("input_token_details").path("text_tokens").asLong(),
                    u.path("input_token_details").path("audio_tokens").asLong(),
                    u.path("input_token_details").path("cached_tokens").asLong(),
                    u.path("output_token_details").path("text_tokens").asLong(),
                    u.path("output_token_details").path("audio_tokens").asLong(), 1, 0));
        }
        audio.responseDone();
        if (hold.pending()) {
            session.enterHold();
            return;
        }
        lastWords.responseDone();
        responses.next();
    }

    /** A new session: tool calls of the old one cannot be answered in it. */
    void sessionReplaced() {
        functionCalls.sessionReplaced();
    }

    private void onCallerTranscript(String itemId, String transcript) {
        String kept = keypad.kept(transcript); // a secret said aloud is kept out of the record
        services.recorder().transcript(callSid, "caller", kept);
        events.emit("transcript", CallEvents.fields().put("role", "caller").put("text", kept));
        conversation.addCallerTurn(itemId, kept);
        saves.changed();
        keypad.heard(transcript);
        callee.heard(transcript);
    }

    // ---------------------------------------------------------------- the agent and the caller

    /** The caller started talking (or pressed a first key): stop the agent where the caller stopped hearing it. */
    void bargeIn() {
        audio.interrupt(realtime);
        responses.cancelForBargeIn();
    }

    boolean someoneTalking() {
        return callerTalking || audio.unplayed();
    }

    /** No quiet moment for a renewal: someone talks, or something is under way. */
    boolean busy() {
        return responses.active() || callerTalking || audio.unplayed() || lastWords.waiting() || keypad.collecting();
    }

    /** The agent has said its piece and nothing is pending: it waits for the other side to answer. */
    boolean agentWaiting() {
        return !responses.active() && !audio.unplayed() && !lastWords.waiting() && !keypad.collecting()
                && !hold.pending() && !exits.leaving();
    }

    /** The webhook answered with something to do: {@code speak}, {@code transfer} or {@code hangup}. */
    void onWebhookAction(JsonNode answer) {
        if (session.state() != State.ACTIVE) {
            return;
        }
        switch (answer.path("action").asText()) {
            case "speak" -> session.requests().say(answer.path("text").asText(""));
            case "transfer" -> exits.transfer(answer.path("target").asText(""), "requested by the webhook");
            case "hangup" -> exits.hangUp(answer.path("reason").asText("requested by the webhook"));
            default -> LOG.warnf("call %s: webhook answered an unknown action '%s'", callSid, answer.path("action").asText());
        }
    }

    /** The words heard were a voicemail greeting, now over: the profile's rule for answering machines. */
    void voicemailGreetingHeard() {
        answeringMachine.greetingHeard();
    }

    void onAnsweredBy(String answeredBy) {
        callee.verdict(answeredBy);
        answeringMachine.verdict(answeredBy);
    }

    /** The call reached its profile's total duration: the agent says so and hangs up (at once if on hold). */
    private void onCallLimit(String why) {
        switch (session.state()) {
            case ON_HOLD -> {
                hold.leave();
                exits.hangUp(why);
            }
            case ACTIVE -> responses.sayThen("I'm sorry, we have reached the time limit for this call. Goodbye.",
                    () -> exits.hangUp(why));
            case CONNECTING -> exits.hangUp(why);
            default -> { }
        }
    }

    private void transferFailed(String targetName, String why) {
        events.emit("transfer_failed", CallEvents.fields().put("target", targetName).put("reason", why));
        if (session.state() == State.ACTIVE) {
            responses.tell("system", "The transfer to " + targetName + " failed (" + why
                    + "). Tell the caller and offer another way to help.");
            realtime.send(ClientEvents.responseCreate());
        }
    }

    // ---------------------------------------------------------------- flows

    FlowSteps steps() {
        return steps;
    }

    /** The conversation as it stands, to save, with why it is saved. */
    SavedConversation snapshot(String why) {
        return conversation.snapshot(flow.stepName(), why, flow.task(), services.clock().instant());
    }

    // ---------------------------------------------------------------- KeypadHost

    @Override
    public boolean live() {
        return session.state() == State.ACTIVE;
    }

    @Override
    public void interruptAgent() {
        if (live() && (audio.unplayed() || responses.active())) {
            bargeIn(); // the first key interrupts the agent exactly as speech would
        }
    }

    @Override
    public Menu menu() {
        return flow.menu();
    }

    @Override
    public void transfer(String target, String reason) {
        exits.transfer(target, reason);
    }

    @Override
    public void hangUp(String reason) {
        exits.hangUp(reason);
    }

    @Override
    public void enterStep(String step) {
        steps.enter(agent.step(step).orElse(null));
    }

    @Override
    public void stepCollected() {
        steps.enter(flow.next());
    }

    // ---------------------------------------------------------------- Hold.Host

    @Override
    public void wake(List<String> preRoll, String note) {
        services.recorder().holding(callSid, session.streamSid(), false);
        session.early().replaceWith(preRoll); // sent first, so the new session hears the words that woke it
        session.setState(State.ACTIVE);
        lifecycle.renew(note, false);
    }

    @Override
    public void giveUp(String why, String message) {
        services.recorder().holding(callSid, session.streamSid(), false);
        if (message == null) {
            exits.hangUp(why);
            return;
        }
        session.setState(State.ACTIVE);
        lifecycle.renew("You waited on hold too long and are giving up on this call.", false,
                () -> responses.sayThen(message, () -> exits.hangUp(why)));
    }

    /**
     * The stream ended: every timer and socket of its parts goes. {@code callOver}: with an outcome (false:
     * the stream was lost and the call goes on elsewhere).
     */
    void close(boolean callOver) {
        if (realtimeErrors > MAX_LOGGED_ERRORS) {
            LOG.warnf("call %s: %d Realtime errors in all, %d of them not logged", callSid, realtimeErrors,
                    realtimeErrors - MAX_LOGGED_ERRORS);
        }
        hold.leave();
        saves.cancel();
        lastWords.cancel();
        limit.cancel();
        lifecycle.close();
        keypad.close();
        hold.close();
        warm.streamEnded(callOver);
    }
}
