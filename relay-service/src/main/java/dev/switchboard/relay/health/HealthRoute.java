package dev.switchboard.relay.health;

import dev.switchboard.relay.call.RelayShutdown;
import dev.switchboard.relay.call.SessionRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code GET /health} for the load balancer: 200 with the number of live calls, 503 while the relay
 * drains, so the load balancer stops sending calls here while the ones in progress finish.
 */
@Singleton
public class HealthRoute {

    void register(@Observes Router router, SessionRegistry sessions, RelayShutdown shutdown) {
        router.get("/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .setStatusCode(shutdown.draining() ? 503 : 200)
                .end("{\"status\":\"" + (shutdown.draining() ? "draining" : "up") + "\",\"calls\":" + sessions.size()
                        + ",\"closedWithoutStart\":" + sessions.closedWithoutStartCount() + "}"));
    }
}
