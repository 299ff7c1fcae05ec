package dev.switchboard.relay.call;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.StreamClaim;
import dev.switchboard.relay.store.CallRecorder;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Checks a stream's one-time token against the call record in DynamoDB (off the event loop) and
 * claims the call for this relay. An outbound call's record is written just after Twilio accepts the
 * call, so an unknown call gets one more try a moment later.
 */
final class StreamClaims {

    private static final Logger LOG = Logger.getLogger(StreamClaims.class);
    static final long RETRY_MS = 1000;

    /** Where a claim's answer goes, on the call's event loop, unless the stream ended meanwhile. */
    record Answer(Consumer<CallRecord> accepted, Consumer<String> refused, Consumer<String> failed) {
    }

    private final CallRecorder recorder;
    private final Vertx vertx;
    /**
     * Set when the stream ended while its claim was being written: a claim that lands then is finished
     * with its outcome, or, for a stream lost without one, left for Twilio's next step.
     */
    private boolean ended;
    private Outcome endedWith;

    StreamClaims(CallRecorder recorder, Vertx vertx) {
        this.recorder = recorder;
        this.vertx = vertx;
    }

    /** {@code stillWaiting}: false once the stream ended meanwhile; then no retry is made. */
    void claim(StreamClaim claim, BooleanSupplier stillWaiting, Answer answer) {
        attempt(claim, stillWaiting, answer, true);
    }

    /** The stream ended before its claim was answered: a claim that still lands gets this outcome (null: none). */
    void streamEnded(Outcome outcome) {
        ended = true;
        endedWith = outcome;
    }

    private void attempt(StreamClaim claim, BooleanSupplier stillWaiting, Answer answer, boolean mayRetry) {
        recorder.claim(claim).onComplete(ar -> {
            if (ended) {
                if (endedWith != null && ar.succeeded() && ar.result().accepted()) { // the caller left meanwhile
                    recorder.finish(claim.callSid(), claim.streamSid(), endedWith);
                }
                return;
            }
            if (ar.failed()) {
                LOG.errorf("call %s: the call store failed while checking the stream token: %s", claim.callSid(),
                        ar.cause().getMessage());
                answer.failed().accept("call store unavailable");
            } else if (!ar.result().accepted() && ar.result().reason().equals("unknown call") && mayRetry
                    && stillWaiting.getAsBoolean()) {
                vertx.setTimer(RETRY_MS, t -> {
                    if (stillWaiting.getAsBoolean()) {
                        attempt(claim, stillWaiting, answer, false);
                    }
                });
            } else if (!ar.result().accepted()) {
                answer.refused().accept(ar.result().reason());
            } else {
                answer.accepted().accept(ar.result().call().orElseThrow());
            }
        });
    }
}
