package dev.switchboard.relay.store;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.ClaimResult;
import dev.switchboard.core.call.HoldUsage;
import dev.switchboard.core.call.KeypadEntry;
import dev.switchboard.core.call.KeypadState;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.core.call.SavedConversation;
import dev.switchboard.core.call.StreamClaim;
import dev.switchboard.core.call.TranscriptLine;
import dev.switchboard.core.call.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The call store as the event loop may use it: every DynamoDB call runs on a worker thread, in order
 * within a call and side by side across calls ({@link CallLanes}), and its result comes back on the
 * event loop that asked. A failed write is logged, never thrown into the media path.
 *
 * <p>The workers are a small pool of their own: a slow DynamoDB then delays only call records, and
 * cannot grow the shared worker pool by a thread per waiting write.
 */
public final class CallRecorder {

    private static final Logger LOG = Logger.getLogger(CallRecorder.class);

    private final WorkerExecutor vertx;
    private final CallStore store;
    private final Clock clock;
    private final CallLanes lanes = new CallLanes();
    private final AtomicInteger inFlight = new AtomicInteger();

    public CallRecorder(Vertx vertx, CallStore store, Clock clock, int workers) {
        this.vertx = vertx.createSharedWorkerExecutor("switchboard-call-store", workers);
        this.store = store;
        this.clock = clock;
    }

    public void close() {
        vertx.close();
    }

    public Future<ClaimResult> claim(StreamClaim claim) {
        return run(claim.callSid(), () -> store.claimStream(claim, clock.instant()));
    }

    /** Runs other blocking work of a call (Twilio REST, say) on the same workers, in order with its store work. */
    public <T> Future<T> offLoop(String callSid, Callable<T> work) {
        return run(callSid, work);
    }

    public Future<Optional<CallRecord>> load(String callSid) {
        return run(callSid, () -> store.find(callSid));
    }

    public void transcript(String callSid, String speaker, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        TranscriptLine line = new TranscriptLine(speaker, text.trim(), clock.instant());
        background("transcript", callSid, () -> store.appendTranscript(callSid, line, clock.instant()));
    }

    public void keypad(String callSid, String buffer, Optional<KeypadEntry> entry) {
        background("keypad", callSid, () -> store.saveKeypad(callSid, buffer, entry, clock.instant()));
    }

    public Future<KeypadState> loadKeypad(String callSid) {
        return run(callSid, () -> store.keypad(callSid));
    }

    public void step(String callSid, String step) {
        background("step", callSid, () -> store.saveStep(callSid, step, clock.instant()));
    }

    public void usage(String callSid, Usage usage) {
        background("usage", callSid, () -> store.addUsage(callSid, usage, clock.instant()));
    }

    public void hold(String callSid, HoldUsage hold) {
        background("hold counters", callSid, () -> store.addHoldUsage(callSid, hold, clock.instant()));
    }

    public void saveConversation(String callSid, SavedConversation conversation) {
        background("conversation", callSid, () -> store.saveConversation(callSid, conversation, clock.instant()));
    }

    /** Whether the call is on hold, so a relay that takes it over keeps listening rather than talking. */
    public void holding(String callSid, String streamSid, boolean holding) {
        background("hold state", callSid, () -> store.saveHolding(callSid, streamSid, holding, clock.instant()));
    }

    /** A resumed call is restored on this relay's stream. */
    public void resumed(String callSid, String streamSid) {
        background("resumption", callSid, () -> store.resumed(callSid, streamSid, clock.instant()));
    }

    public Future<SavedConversation> loadConversation(String callSid) {
        return run(callSid, () -> store.savedConversation(callSid));
    }

    public Future<Boolean> finish(String callSid, String streamSid, Outcome outcome) {
        return run(callSid, () -> store.finishStream(callSid, streamSid, outcome, clock.instant()))
                .onFailure(e -> LOG.errorf("could not record the end of call %s: %s", callSid, e.getMessage()));
    }

    /**
     * Store work queued or running: a stopping relay waits for this to reach 0 once its calls have
     * ended, so their last writes (usage, conversation, outcome) land before the workers are closed.
     */
    public int pending() {
        return inFlight.get();
    }

    private void background(String what, String callSid, Runnable write) {
        run(callSid, () -> {
            write.run();
            return null;
        }).onFailure(e -> LOG.warnf("could not record %s of call %s: %s", what, callSid, e.getMessage()));
    }

    /** Every piece of store work goes through here, in its call's lane, counted while queued or running. */
    private <T> Future<T> run(String callSid, Callable<T> work) {
        inFlight.incrementAndGet();
        return lanes.after(callSid, () -> vertx.executeBlocking(work, false)).onComplete(done -> inFlight.decrementAndGet());
    }
}
