package dev.switchboard.relay.call;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.StreamClaim;
import dev.switchboard.relay.store.CallRecorder;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Checks a stream's one-time token against the call record in DynamoDB (off the event loop) and
 * claims the call for this relay. An outbound call's record is written just after Twilio accepts the
 * call, so an unknown call gets one more try a moment later.
 */
final class StreamClaims {

    private static final Logger LOG = Logger.getLogger(StreamClaims.class);
    static final long RETRY_MS = 1000;

    /** Where a claim's answer goes, on the call's event loop, whatever happened to the stream meanwhile. */
    interface Answer {
        void accepted(CallRecord call);

        /** The token (or the call) is not good: the stream is refused. */
        void refused(String reason);

        /** The store could not be asked: the stream fails. */
        void failed(String reason);
    }

    private final CallRecorder recorder;
    private final Vertx vertx;

    StreamClaims(CallRecorder recorder, Vertx vertx) {
        this.recorder = recorder;
        this.vertx = vertx;
    }

    /**
     * {@code stillWaiting}: false once the stream ended meanwhile; then no retry is made, but the answer
     * still comes, since a claim that landed must be finished by its stream.
     */
    void claim(StreamClaim claim, BooleanSupplier stillWaiting, Answer answer) {
        attempt(claim, stillWaiting, answer, true);
    }

    private void attempt(StreamClaim claim, BooleanSupplier stillWaiting, Answer answer, boolean mayRetry) {
        recorder.claim(claim).onComplete(ar -> {
            if (ar.failed()) {
                LOG.errorf("call %s: the call store failed while checking the stream token: %s", claim.callSid(),
                        ar.cause().getMessage());
                answer.failed("call store unavailable");
            } else if (!ar.result().accepted() && ar.result().reason().equals("unknown call") && mayRetry
                    && stillWaiting.getAsBoolean()) {
                vertx.setTimer(RETRY_MS, t -> {
                    if (stillWaiting.getAsBoolean()) {
                        attempt(claim, stillWaiting, answer, false);
                    } else {
                        answer.refused("the stream ended before its call was known");
                    }
                });
            } else if (!ar.result().accepted()) {
                answer.refused(ar.result().reason());
            } else {
                answer.accepted(ar.result().call().orElseThrow());
            }
        });
    }
}
