package dev.switchboard.relay.config;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.control.WarmTransfers;
import dev.switchboard.core.twilio.CallControl;
import dev.switchboard.relay.events.EventWebhook;
import dev.switchboard.relay.hold.SpeechDetector;
import dev.switchboard.relay.live.LiveEvents;
import dev.switchboard.relay.realtime.RealtimeConnector;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.tool.ToolRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Does at start, before the relay serves, the work the first calls would otherwise wait for, and does
 * it side by side rather than one piece after another: the agents (a typo in one fails the start), a
 * check that the speech model's file is there (the model itself loads at the first hold), the Twilio
 * SDK, the services a call session uses (made on the first media stream's event loop otherwise), and
 * one read of the call store, which loads the AWS SDK's request path (about
 * half a second on the first claim of a fresh relay when it was left to the first call). The session
 * factory itself is left to the first stream: it takes this relay's address, and the HTTP port is only
 * known once the server listens (a random port in tests).
 */
@Singleton
public class StartupWarmUp {

    private static final Logger LOG = Logger.getLogger(StartupWarmUp.class);
    /** Not a CallSid Twilio would make: the read finds nothing and writes nothing. */
    static final String PROBE_CALL = "CAwarm-up-probe";

    /** What a call session uses, made ahead of the first call. */
    private static final List<Class<?>> CALL_SERVICES = List.of(RealtimeConnector.class, CallRecorder.class, ToolRegistry.class,
            CallActions.class, EventWebhook.class, LiveEvents.class, WarmTransfers.class);

    void warmUp(@Observes StartupEvent start, Instance<AgentProfiles> agents, Instance<SpeechDetector.Model> model,
                Instance<CallControl> twilio, Instance<Object> beans, Instance<CallStore> store) {
        long begun = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "relay-warm-up"));
        try {
            List<CompletableFuture<?>> required = List.of(
                    CompletableFuture.supplyAsync(agents::get, pool),
                    CompletableFuture.supplyAsync(model::get, pool),
                    CompletableFuture.supplyAsync(twilio::get, pool));
            CompletableFuture<?> callPath = CompletableFuture.runAsync(() -> CALL_SERVICES.forEach(c -> beans.select(c).get()), pool)
                    .thenApplyAsync(made -> store.get().find(PROBE_CALL), pool);
            join(required);
            try {
                callPath.get(10, TimeUnit.SECONDS);
            } catch (Exception e) { // the store may come up after the relay: calls will try it again
                LOG.warnf("the call services or the call store were not ready at start (%s); the first calls will wait for them",
                        rootMessage(e));
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.infof("warmed up in %d ms", (System.nanoTime() - begun) / 1_000_000);
    }

    /** Waits for all; the first failure fails the start, as it would have on its own. */
    private static void join(List<CompletableFuture<?>> all) {
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
