package dev.switchboard.relay.store;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A lane per call: the call's work starts only once its earlier work has finished (failed or not), and
 * the lanes of different calls run side by side.
 *
 * <p>Written here rather than left to Vert.x's ordered blocking work, which keeps one queue per
 * event-loop context: the media streams of a relay share a few event loops, so every call on one event
 * loop waited in a single queue (in a burst of 100 calls the last claims waited seconds behind the
 * others' writes, and a slow write held up every call of its loop). A call's lane is dropped once it
 * has nothing left, so the map holds only calls with work queued or running.
 */
final class CallLanes {

    private final Map<String, Future<?>> tails = new ConcurrentHashMap<>();

    /** {@code start} begins the work once the call's earlier work has finished, and returns its result. */
    <T> Future<T> after(String callSid, Supplier<Future<T>> start) {
        Object[] mine = new Object[1];
        tails.compute(callSid, (sid, tail) -> {
            Future<T> next = tail == null ? start.get() : tail.transform(earlier -> start.get());
            mine[0] = next;
            return next;
        });
        @SuppressWarnings("unchecked")
        Future<T> next = (Future<T>) mine[0];
        next.onComplete(done -> tails.remove(callSid, next));
        return next;
    }
}
