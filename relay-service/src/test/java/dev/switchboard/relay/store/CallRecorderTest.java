package dev.switchboard.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Usage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The call store's work runs in order within a call and side by side across calls. The calls of a
 * relay share a few event loops, and the store work of every call on one event loop once ran in one
 * queue: in a burst, each new call's claim waited behind every other call's writes (100 calls within a
 * second were live 2.5-4 s after arriving), and one slow write held up every call of its event loop.
 */
class CallRecorderTest {

    private static final String A = "CA00000000000000000000000000000001";
    private static final String B = "CA00000000000000000000000000000002";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aSlowWriteOfOneCallDoesNotHoldUpAnotherCallOnTheSameEventLoop() throws Exception {
        CountDownLatch releaseA = new CountDownLatch(1);
        CallStore store = store((method, callSid) -> {
            if (method.equals("addUsage") && callSid.equals(A)) {
                releaseA.await();
            }
        }, new CopyOnWriteArrayList<>());
        CallRecorder recorder = new CallRecorder(vertx, store, Clock.systemUTC(), 4);
        Context loop = vertx.getOrCreateContext(); // both calls' streams on one event loop, as they share a relay's few
        CountDownLatch bLoaded = new CountDownLatch(1);
        loop.runOnContext(v -> {
            recorder.usage(A, Usage.ZERO);
            recorder.load(B).onSuccess(found -> bLoaded.countDown());
        });
        try {
            assertTrue(bLoaded.await(2, TimeUnit.SECONDS), "call B's read waited for call A's write");
        } finally {
            releaseA.countDown();
        }
    }

    @Test
    void theWorkOfOneCallRunsInTheOrderItWasAskedFor() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        CallStore store = store((method, callSid) -> {
            if (method.equals("addUsage")) {
                releaseFirst.await(); // the first write is slow; the second must still come after it
            }
        }, done);
        CallRecorder recorder = new CallRecorder(vertx, store, Clock.systemUTC(), 4);
        Context loop = vertx.getOrCreateContext();
        CountDownLatch finished = new CountDownLatch(1);
        loop.runOnContext(v -> {
            recorder.usage(A, Usage.ZERO);
            recorder.step(A, "menu");
            recorder.load(A).onComplete(ar -> finished.countDown());
        });
        Thread.sleep(300);
        assertEquals(List.of(), done, "nothing of call A ran past its slow first write");
        releaseFirst.countDown();
        assertTrue(finished.await(2, TimeUnit.SECONDS));
        assertEquals(List.of("addUsage", "saveStep", "find"), done);
        assertTrue(waitFor(() -> recorder.pending() == 0), "nothing left counted as pending");
    }

    @Test
    void aFailedWriteDoesNotStopTheCallsNextWork() throws Exception {
        List<String> done = new CopyOnWriteArrayList<>();
        CallStore store = store((method, callSid) -> {
            if (method.equals("saveStep")) {
                throw new IllegalStateException("throttled");
            }
        }, done);
        CallRecorder recorder = new CallRecorder(vertx, store, Clock.systemUTC(), 2);
        CountDownLatch loaded = new CountDownLatch(1);
        vertx.getOrCreateContext().runOnContext(v -> {
            recorder.step(A, "menu");
            recorder.load(A).onSuccess(found -> loaded.countDown());
        });
        assertTrue(loaded.await(2, TimeUnit.SECONDS), "the read after a failed write ran");
        assertEquals(List.of("find"), done);
    }

    private interface Behaviour {
        void on(String method, String callSid) throws Exception;
    }

    /** A store whose methods do what {@code behaviour} says, then note their name in {@code done}. */
    private static CallStore store(Behaviour behaviour, List<String> done) {
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> {
                    behaviour.on(method.getName(), (String) args[0]);
                    done.add(method.getName());
                    return method.getReturnType() == Optional.class ? Optional.empty() : null;
                });
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void pendingCountsWorkQueuedBehindASlowWrite() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CallStore store = store((method, callSid) -> {
            if (method.equals("addUsage")) {
                release.await();
            }
        }, new CopyOnWriteArrayList<>());
        CallRecorder recorder = new CallRecorder(vertx, store, Clock.systemUTC(), 2);
        vertx.getOrCreateContext().runOnContext(v -> {
            recorder.usage(A, Usage.ZERO);
            recorder.step(A, "menu");
        });
        assertTrue(waitFor(() -> recorder.pending() == 2), "the running write and the one queued behind it");
        release.countDown();
        assertTrue(waitFor(() -> recorder.pending() == 0));
    }
}
