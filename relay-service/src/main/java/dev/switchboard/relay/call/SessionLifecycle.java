package dev.switchboard.relay.call;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.SavedConversation;
import dev.switchboard.core.call.TranscriptLine;
import dev.switchboard.core.call.Transfer;
import dev.switchboard.relay.call.CallSession.State;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.flow.Flow;
import dev.switchboard.relay.hold.Hold;
import dev.switchboard.relay.playback.AgentAudio;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.realtime.RealtimeLink;
import dev.switchboard.relay.session.AudioAppends;
import dev.switchboard.relay.session.RealtimeSession;
import dev.switchboard.relay.turn.ConversationLog;
import dev.switchboard.relay.turn.Responses;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The Realtime sessions of one call, one after another: the first (configured from the agent and the
 * flow, with the greeting, or the conversation of a caller back from a failed transfer), closing one
 * for hold, and opening the next (a wake, a renewal before the 60-minute limit at a quiet moment, a
 * replacement after a drop) seeded with the conversation so far. Caller audio that arrives meanwhile
 * waits in the session's {@code EarlyAudio} and is sent first.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class SessionLifecycle {

    private static final Logger LOG = Logger.getLogger(SessionLifecycle.class);
    /** Conversation turns restored into a new session (a caller back from a failed transfer). */
    static final int MAX_RESTORED_LINES = 40;
    /** How long a turn may wait for its answer or transcript before a renewal stops waiting for it. */
    static final long TURN_SETTLE_NANOS = 10_000_000_000L;
    static final String RENEWED = "The line was renewed; carry on the conversation naturally.";
    static final String RESUMED = "The phone line dropped for a moment and the call has just been reconnected. Say briefly "
            + "that you are back (do not greet the caller again), then carry on where the conversation left off.";

    private final CallSession session;
    private final CallServices services;
    private final LiveCall call;
    private final RealtimeSession realtime;
    private final ConversationLog conversation;
    private final Responses responses;
    private final AgentAudio audio;
    private final Flow flow;
    private final Hold hold;
    private final AgentProfile agent;
    private final Vertx vertx;
    private long confirmation = -1;

    SessionLifecycle(CallSession session, CallServices services, LiveCall call, RealtimeSession realtime,
                     ConversationLog conversation, Responses responses, AgentAudio audio, Flow flow, Hold hold) {
        this.session = session;
        this.services = services;
        this.call = call;
        this.realtime = realtime;
        this.conversation = conversation;
        this.responses = responses;
        this.audio = audio;
        this.flow = flow;
        this.hold = hold;
        this.agent = call.agent();
        this.vertx = Vertx.currentContext().owner();
    }

    /** The call's first session. */
    void open(CallRecord record) {
        String callSid = record.callSid();
        realtime.connect().onComplete(ar -> {
            if (ar.failed()) {
                if (session.state() != State.ENDED) {
                    call.exits().fallBack(Outcome.failed("realtime connect failed: " + ar.cause().getMessage()));
                }
                return;
            }
            if (session.state() == State.ENDED) {
                ar.result().close();
                return;
            }
            realtime.opened(ar.result(), System.nanoTime(), this::checkAge);
            configure();
            session.setState(State.ACTIVE);
            if (flow.step().isPresent()) {
                services.recorder().step(callSid, flow.stepName());
                call.steps().startCollection();
            }
            sendEarlyAudio();
            Optional<Transfer> failedTransfer = record.transfer().filter(t -> t.result().isPresent() && record.outcome().isEmpty());
            if (record.resuming()) {
                services.recorder().loadConversation(callSid).onComplete(saved -> {
                    if (session.state() == State.ACTIVE) {
                        resumed(saved.succeeded() ? saved.result() : SavedConversation.NONE, record.transcript());
                    }
                });
            } else if (failedTransfer.isPresent()) {
                services.recorder().loadConversation(callSid).onComplete(saved -> {
                    if (session.state() == State.ACTIVE) {
                        backFromTransfer(saved.succeeded() ? saved.result() : SavedConversation.NONE, record.transcript(),
                                failedTransfer.get());
                    }
                });
            } else if (!agent.greeting().isBlank() && (record.direction() == Direction.INBOUND || agent.outboundSpeaksFirst())) {
                realtime.send(ClientEvents.responseCreate("Greet the caller with exactly these words: " + flow.greeting()));
            } // on calls it places, the agent waits for the callee's hello unless told otherwise
            LOG.infof("call %s: stream %s live with agent '%s'", callSid, session.streamSid(), agent.name());
            var start = CallEvents.fields();
            failedTransfer.ifPresent(t -> start.put("back_from_transfer", t.target()).put("transfer_result", t.result().orElseThrow()));
            call.events().emit("session_start", start);
            if (!record.resuming()) {
                record.answeredBy().ifPresent(call::onAnsweredBy); // the verdict came before the stream
            }
        });
    }

    /**
     * A call resumed on this relay while it was on hold: it goes back to listening with its
     * conversation, and no Realtime session is opened until a person speaks.
     */
    void resumeOnHold() {
        String callSid = session.callSid();
        services.recorder().loadConversation(callSid).onComplete(saved -> {
            if (session.state() == State.ENDED) {
                return;
            }
            if (saved.succeeded() && !saved.result().isEmpty()) {
                conversation.replaceWith(saved.result().items());
            }
            session.setState(State.ON_HOLD);
            hold.resumeListening();
            session.early().drainTo(frame -> hold.frame(frame, session.audioBytesToModel()));
            services.recorder().resumed(callSid, session.streamSid());
            call.events().emit("session_resumed", CallEvents.fields().put("on_hold", true));
            LOG.infof("call %s: resumed on stream %s, back on hold with %d conversation items", callSid, session.streamSid(),
                    conversation.recent().size());
        });
    }

    /**
     * The session closes for hold: the conversation is saved to the call's {@code CONTEXT} item first
     * (no audio, no event, no cost while waiting).
     */
    void closeForHold() {
        if (responses.active()) {
            realtime.send(ClientEvents.responseCancel());
        }
        services.recorder().saveConversation(session.callSid(), call.snapshot("On hold (" + hold.reason() + ")"));
        cancelConfirmation();
        realtime.close();
        responses.reset();
    }

    void renew(String note, boolean afterFailure) {
        renew(note, afterFailure, null);
    }

    /**
     * Replaces the Realtime session (a wake, a drop, the 60-minute limit nearing): caller audio is
     * buffered meanwhile, and the new session is seeded with the conversation so far, so the caller
     * hears at most a short gap and the agent keeps its context. {@code onReady} (may be null) runs
     * once the new session is seeded.
     */
    void renew(String note, boolean afterFailure, Runnable onReady) {
        String callSid = session.callSid();
        realtime.close();
        session.setState(State.CONNECTING);
        responses.reset();
        call.sessionReplaced();
        conversation.forgetUnheardTurns(); // their transcripts would have come on the closed socket
        audio.newSession(); // items of the old session cannot be truncated in the new one
        boolean wakingFromHold = !afterFailure && !session.early().isEmpty();
        if (!wakingFromHold) { // a hold saved it already
            services.recorder().saveConversation(callSid, call.snapshot(afterFailure ? "Session replaced after it dropped" : "Session renewed"));
        }
        Future<RealtimeLink> connecting = hold.connect();
        connecting.onComplete(ar -> renewed(ar, note, wakingFromHold, onReady));
    }

    private void renewed(AsyncResult<RealtimeLink> ar, String note, boolean wakingFromHold, Runnable onReady) {
        if (ar.failed() || session.state() == State.ENDED) {
            if (ar.succeeded()) {
                ar.result().close();
            }
            if (session.state() != State.ENDED) {
                call.exits().fallBack(Outcome.failed("realtime reconnect failed: " + ar.cause().getMessage()));
            }
            return;
        }
        realtime.opened(ar.result(), hold.socketStartedNanos(), this::checkAge);
        configure();
        List<SavedConversation.Item> restored = conversation.recent();
        seed();
        realtime.send(ClientEvents.conversationItem("system", note)); // for this session only, not kept
        session.setState(State.ACTIVE);
        sendEarlyAudio();
        boolean callerWaits = !wakingFromHold && onReady == null && !restored.isEmpty()
                && "user".equals(restored.get(restored.size() - 1).role());
        if (callerWaits) {
            realtime.send(ClientEvents.responseCreate()); // the caller spoke last and is owed an answer
        }
        LOG.infof("call %s: new Realtime session with %d conversation items restored", session.callSid(), restored.size());
        if (onReady != null) {
            onReady.run();
        }
    }

    /** Renews the session ahead of its 60-minute limit, at a quiet moment (nobody talking, nothing queued). */
    private void checkAge() {
        if (session.state() != State.ACTIVE || !realtime.due() || call.busy()) {
            return; // try again at the next check
        }
        if (responses.callerTurnFresh(conversation.awaitsCallerWords(), TURN_SETTLE_NANOS)) {
            return; // the caller has just spoken: the old session owes an answer or the words themselves
        }
        LOG.infof("call %s: renewing the Realtime session before its time limit", session.callSid());
        renew(RENEWED, false);
    }

    /**
     * The caller is back from a transfer nobody answered: the new session hears the conversation so far,
     * from the call's saved conversation (written when the transfer started), or its transcript.
     */
    private void backFromTransfer(SavedConversation saved, List<TranscriptLine> transcript, Transfer transfer) {
        restore(saved, transcript);
        seed();
        responses.tell("system", "You tried to transfer the caller to " + transfer.target()
                + " but the transfer did not go through (" + transfer.result().orElse("failed")
                + "). The caller is back on the line with you. Apologise briefly and offer another way to help.");
        realtime.send(ClientEvents.responseCreate());
        LOG.infof("call %s: back from a %s transfer with %d items restored", session.callSid(),
                transfer.result().orElse("failed"), conversation.recent().size());
    }

    /**
     * The call's stream was lost (its relay died or was drained) and it resumed here: the new session
     * hears the conversation so far and is told the line dropped for a moment, so the agent says it is
     * back and carries on, rather than greeting the caller again.
     */
    private void resumed(SavedConversation saved, List<TranscriptLine> transcript) {
        restore(saved, transcript);
        seed();
        responses.tell("system", RESUMED);
        realtime.send(ClientEvents.responseCreate());
        services.recorder().resumed(session.callSid(), session.streamSid());
        call.events().emit("session_resumed", CallEvents.fields().put("on_hold", false));
        LOG.infof("call %s: resumed on stream %s with %d conversation items", session.callSid(), session.streamSid(),
                conversation.recent().size());
    }

    private void restore(SavedConversation saved, List<TranscriptLine> transcript) {
        if (!saved.isEmpty()) {
            conversation.replaceWith(saved.items());
            return;
        }
        for (int i = Math.max(0, transcript.size() - MAX_RESTORED_LINES); i < transcript.size(); i++) {
            TranscriptLine line = transcript.get(i);
            conversation.add("agent".equals(line.speaker()) ? "assistant" : "user", line.text());
        }
    }

    /**
     * Configures a new session. One that does not answer (no {@code session.updated}) within the start
     * timeout is given up: the caller must not wait in silence on an endpoint that accepts and stalls.
     */
    private void configure() {
        realtime.send(flow.sessionUpdate(call.callee().autoRespond()));
        cancelConfirmation();
        confirmation = vertx.setTimer(services.realtimeTimeout().toMillis(), t -> {
            confirmation = -1;
            if (session.state() == State.ACTIVE || session.state() == State.CONNECTING) {
                realtime.close();
                call.exits().fallBack(Outcome.failed("the Realtime session did not answer within "
                        + services.realtimeTimeout().toMillis() + " ms"));
            }
        });
    }

    /** {@code session.updated}: the session answers. */
    void confirmed() {
        cancelConfirmation();
    }

    /** The call ended: no confirmation is awaited any longer. */
    void close() {
        cancelConfirmation();
    }

    private void cancelConfirmation() {
        if (confirmation >= 0) {
            vertx.cancelTimer(confirmation);
            confirmation = -1;
        }
    }

    /** Seeds a new session with the conversation so far. */
    private void seed() {
        for (SavedConversation.Item item : conversation.recent()) {
            realtime.send(ClientEvents.conversationItem(item.role(), item.text()));
        }
    }

    /** Caller audio kept while the session opened, to the model in appends of up to a second ({@link AudioAppends}). */
    private void sendEarlyAudio() {
        AudioAppends appends = new AudioAppends(session::toModel);
        boolean[] held = {false};
        int dropped = session.early().drainTo(payload -> {
            if (held[0]) {
                return; // the line was quiet long enough to go on hold: the rest is more of that quiet
            }
            if (session.heardLocally(payload)) {
                appends.flush();
                session.enterHold();
                held[0] = true;
                return;
            }
            appends.add(payload);
        });
        appends.flush();
        if (dropped > 0) {
            LOG.warnf("call %s: %d early frames dropped while the Realtime session opened", session.callSid(), dropped);
        }
    }
}
