package dev.switchboard.relay.call;

import dev.switchboard.core.call.Outcome;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * When the relay stops, every call it holds ends the same clean way as any other: Realtime socket
 * closed, stream closed, outcome recorded ({@code failed: relay shutting down}), registry emptied.
 */
@Singleton
public class RelayShutdown {

    private static final Logger LOG = Logger.getLogger(RelayShutdown.class);

    void onStop(@Observes ShutdownEvent event, SessionRegistry sessions) {
        int live = sessions.size();
        if (live == 0) {
            return;
        }
        LOG.infof("relay stopping: ending %d live call(s)", live);
        for (CallSession session : sessions.all()) {
            session.onContext(() -> session.end(new Outcome("failed", "relay shutting down", Optional.empty()), true));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
