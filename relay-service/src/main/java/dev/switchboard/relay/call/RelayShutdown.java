package dev.switchboard.relay.call;

import dev.switchboard.core.call.Outcome;
import dev.switchboard.relay.store.CallRecorder;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The relay's drain. On SIGTERM it reports itself unhealthy (so a load balancer stops sending calls),
 * lets the calls it holds go on for up to {@code switchboard.drain} and stops as soon as the last one
 * ends. Calls still running then are handed over to another relay on a new stream ({@link StreamHandOver});
 * only a call that could not be handed over in time ends, with outcome {@code failed: relay shutting down}.
 * Then the call records' last writes are given a few seconds to land.
 */
@Singleton
public class RelayShutdown {

    private static final Logger LOG = Logger.getLogger(RelayShutdown.class);

    /** Twilio's REST update and the stop that follows take well under this. */
    static final Duration HAND_OVER_WAIT = Duration.ofMillis(StreamHandOver.STOP_WAIT_MS + 5000);

    /**
     * The last call-record writes of calls that have just ended (usage, conversation, outcome) get this
     * long to land before Quarkus closes the workers, which would interrupt them; within ECS's 120 s
     * between SIGTERM and SIGKILL after the drain.
     */
    static final Duration STORE_WAIT = Duration.ofSeconds(5);

    private final Duration drain;
    private final CallRecorder recorder;
    private volatile boolean draining;

    public RelayShutdown(@ConfigProperty(name = "switchboard.drain", defaultValue = "110s") Duration drain, CallRecorder recorder) {
        this.drain = drain;
        this.recorder = recorder;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Runs at the start of Quarkus' shutdown, while sockets, timers and workers still run (with
     * {@code quarkus.shutdown.delay-enabled}); the stop waits for this method.
     */
    void onStop(@Observes ShutdownDelayInitiatedEvent event, SessionRegistry sessions) {
        draining = true;
        if (sessions.size() > 0) {
            LOG.infof("relay stopping: waiting up to %d ms for %d live call(s) to end", drain.toMillis(), sessions.size());
            if (!waitUntil(() -> sessions.size() == 0, drain)) {
                LOG.infof("relay stopping: handing %d call(s) still live over to other relays", sessions.size());
                for (CallSession session : sessions.all()) {
                    session.onContext(session::handOver);
                }
                if (!waitUntil(() -> sessions.size() == 0, HAND_OVER_WAIT)) {
                    LOG.warnf("relay stopping: ending %d call(s) not handed over in time", sessions.size());
                    for (CallSession session : sessions.all()) {
                        session.onContext(() -> session.end(new Outcome("failed", "relay shutting down", Optional.empty()), true));
                    }
                    waitUntil(() -> sessions.size() == 0, Duration.ofSeconds(5));
                }
            }
        }
        if (!waitUntil(() -> recorder.pending() == 0, STORE_WAIT)) {
            LOG.warnf("relay stopping: %d call record write(s) still pending after %d s; they may be lost", recorder.pending(),
                    STORE_WAIT.toSeconds());
        }
    }

    /** Polls {@code done} every 50 ms for up to {@code limit}; whether it came true. */
    private static boolean waitUntil(BooleanSupplier done, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return done.getAsBoolean();
    }
}
