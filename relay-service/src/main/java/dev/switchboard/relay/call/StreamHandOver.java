package dev.switchboard.relay.call;

import dev.switchboard.core.call.Direction;
import dev.switchboard.relay.call.CallSession.State;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

/**
 * A stopping relay hands a live call to another: the conversation is saved, the record gets a new
 * one-time token, and Twilio is told over REST to open a new stream, which the load balancer sends to a
 * relay that is not stopping (see {@code CallActions.handOver}). Twilio then stops this stream; the
 * session leaves without an outcome. If the record or Twilio refuses, the stream is closed without an
 * outcome instead, and Twilio's {@code <Connect action>} resumes the call the same way.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class StreamHandOver {

    private static final Logger LOG = Logger.getLogger(StreamHandOver.class);
    /** How long Twilio may take to stop this stream once told to open the next one. */
    static final long STOP_WAIT_MS = 5000;

    private final CallSession session;
    private final CallServices services;
    private final Vertx vertx;
    private boolean underWay;
    private long stopWait = -1;

    StreamHandOver(CallSession session, CallServices services, Vertx vertx) {
        this.session = session;
        this.services = services;
        this.vertx = vertx;
    }

    boolean underWay() {
        return underWay;
    }

    void start(State state, LiveCall live, Direction direction) {
        if (state == State.ENDED || underWay) {
            return;
        }
        if (live == null) { // nothing claimed yet, or the claim is in flight: Twilio's action resumes it elsewhere
            session.lose("relay stopping before the call was taken");
            return;
        }
        underWay = true;
        String callSid = session.callSid();
        String streamSid = session.streamSid();
        services.recorder().saveConversation(callSid, live.snapshot("Handed over: the relay is stopping"));
        services.recorder().offLoop(callSid, () -> services.actions().handOver(callSid, streamSid, live.agent().name(), direction))
                .onComplete(ar -> {
                    if (session.state() == State.ENDED) {
                        return;
                    }
                    if (ar.succeeded() && ar.result()) {
                        LOG.infof("call %s: handed over to another relay; waiting for Twilio to stop stream %s", callSid, streamSid);
                        stopWait = vertx.setTimer(STOP_WAIT_MS, t -> {
                            stopWait = -1;
                            session.lose("handed over; Twilio did not stop the old stream");
                        });
                    } else {
                        LOG.warnf("call %s: the hand-over was refused (%s); closing the stream for Twilio to resume the call", callSid,
                                ar.failed() ? ar.cause().toString() : "the record or Twilio refused");
                        session.lose("relay stopping");
                    }
                });
    }

    void cancel() {
        if (stopWait >= 0) {
            vertx.cancelTimer(stopWait);
            stopWait = -1;
        }
    }
}
