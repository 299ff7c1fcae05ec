package dev.switchboard.relay.health;

import dev.switchboard.relay.call.SessionRegistry;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code GET /health} for the load balancer: 200 with the number of live calls. While the relay shuts
 * down, Quarkus' graceful shutdown answers 503 to new requests, so the load balancer stops sending
 * calls here while the ones in progress finish.
 */
@Singleton
public class HealthRoute {

    void register(@Observes Router router, SessionRegistry sessions) {
        router.get("/health").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end("{\"status\":\"up\",\"calls\":" + sessions.size() + "}"));
    }
}
