package dev.switchboard.relay.call;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Usage;
import dev.switchboard.relay.store.CallRecorder;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stopping relay lets the call-record writes of calls that just ended finish before Quarkus closes
 * its workers: a load run that ended 100 calls a second before SIGTERM lost their usage and saved
 * conversations ("could not record usage of call ...: Thread was interrupted").
 */
class RelayShutdownTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theStopWaitsForCallRecordWritesInFlight() throws Exception {
        CountDownLatch storeAnswers = new CountDownLatch(1);
        AtomicBoolean written = new AtomicBoolean();
        CallStore slowStore = (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[] {CallStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("addUsage")) {
                        storeAnswers.await(); // an interrupt here is how the writes were lost
                        written.set(true);
                    }
                    return null;
                });
        CallRecorder recorder = new CallRecorder(vertx, slowStore, Clock.systemUTC(), 2);
        RelayShutdown shutdown = new RelayShutdown(Duration.ofSeconds(1), recorder);
        recorder.usage("CA00000000000000000000000000000001", Usage.ZERO); // the last write of a call that has just ended

        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            shutdown.onStop(new ShutdownDelayInitiatedEvent(), new SessionRegistry()); // no live call
            stopped.countDown();
        });
        stop.start();
        assertFalse(stopped.await(500, TimeUnit.MILLISECONDS), "the stop returned with a call record write still running");
        storeAnswers.countDown();
        assertTrue(stopped.await(5, TimeUnit.SECONDS), "the stop returns once the write is done");
        assertTrue(written.get());
    }
}
