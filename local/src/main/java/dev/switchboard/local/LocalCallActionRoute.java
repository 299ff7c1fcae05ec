package dev.switchboard.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.outbound.OutboundCalls;
import dev.switchboard.core.outbound.OutboundRequest;
import dev.switchboard.core.outbound.OutboundResult;
import dev.switchboard.relay.config.InternalToken;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Local mode's stand-ins for the {@code call-action} and {@code outbound-call} Lambdas:
 * {@code POST /calls/actions} and {@code POST /calls/outbound}, with the same JSON in and out. They need
 * the internal token like every operation that can make the model speak.
 */
@Singleton
public class LocalCallActionRoute {

    private static final ObjectMapper JSON = new ObjectMapper();

    void register(@Observes Router router, Instance<CallActions> actions, Instance<OutboundCalls> outbound,
                  Instance<InternalToken> token) {
        router.post("/calls/actions").handler(BodyHandler.create().setBodyLimit(16 * 1024))
                .blockingHandler(ctx -> handle(ctx, actions.get(), token.get()), false);
        router.post("/calls/outbound").handler(BodyHandler.create().setBodyLimit(16 * 1024))
                .blockingHandler(ctx -> placeCall(ctx, outbound.get(), token.get()), false);
    }

    /** Local stand-in for the {@code outbound-call} Lambda: same JSON in, same JSON out. */
    private static void placeCall(RoutingContext ctx, OutboundCalls outbound, InternalToken token) {
        if (!authorized(ctx, token)) {
            return;
        }
        OutboundResult result;
        try {
            result = outbound.place(JSON.readValue(ctx.body().asString(), OutboundRequest.class));
        } catch (Exception e) {
            result = new OutboundResult(false, null, "the body is not an outbound call request: " + e.getMessage());
        }
        try {
            ctx.response().setStatusCode(result.ok() ? 200 : 400).putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(result));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    private static boolean authorized(RoutingContext ctx, InternalToken token) {
        String presented = ctx.request().getHeader("Authorization");
        byte[] expected = ("Bearer " + token.value()).getBytes(StandardCharsets.UTF_8);
        if (presented == null || !MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            ctx.response().setStatusCode(401).end("Authorization: Bearer <RELAY_INTERNAL_TOKEN> required");
            return false;
        }
        return true;
    }

    private static void handle(RoutingContext ctx, CallActions actions, InternalToken token) {
        if (!authorized(ctx, token)) {
            return;
        }
        CallActionResult result;
        try {
            result = actions.handle(JSON.readValue(ctx.body().asString(), CallActionRequest.class));
        } catch (Exception e) {
            result = new CallActionResult(false, null, null, "the body is not a call action: " + e.getMessage());
        }
        try {
            ctx.response().setStatusCode(result.ok() ? 200 : 400).putHeader("Content-Type", "application/json")
                    .end(JSON.writeValueAsString(result));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }
}
