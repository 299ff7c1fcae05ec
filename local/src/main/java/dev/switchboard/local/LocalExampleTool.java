package dev.switchboard.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.relay.events.EventWebhook;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The example agent's own tool ({@code local/agents/order-desk.yaml}), served by the local stack the
 * way a team's tool server would serve it: check the signature, read the arguments, answer
 * {@code {"result": ...}}. Made-up orders, for {@code ./run demo} and for trying the agent by hand.
 */
@Singleton
public class LocalExampleTool {

    private static final ObjectMapper JSON = new ObjectMapper();

    void register(@Observes Router router,
                  @ConfigProperty(name = "LOCAL_EXAMPLE_TOOL_SECRET", defaultValue = "") String secret) {
        router.post("/local/tools/order-status").handler(BodyHandler.create().setBodyLimit(16 * 1024))
                .handler(ctx -> orderStatus(ctx, secret));
    }

    private static void orderStatus(RoutingContext ctx, String secret) {
        String body = ctx.body() == null ? "" : ctx.body().asString();
        String timestamp = String.valueOf(ctx.request().getHeader("X-Switchboard-Timestamp"));
        byte[] expected = ("v1=" + EventWebhook.sign(secret, timestamp + "." + body)).getBytes(StandardCharsets.UTF_8);
        byte[] given = String.valueOf(ctx.request().getHeader("X-Switchboard-Signature")).getBytes(StandardCharsets.UTF_8);
        if (secret.isEmpty() || !MessageDigest.isEqual(expected, given)) {
            ctx.response().setStatusCode(401).end("bad signature");
            return;
        }
        JsonNode call;
        try {
            call = JSON.readTree(body);
        } catch (Exception e) {
            ctx.response().setStatusCode(400).end("not JSON");
            return;
        }
        String order = call.path("arguments").path("order").asText("").replaceAll("[^0-9A-Za-z-]", "");
        ObjectNode answer = JSON.createObjectNode();
        ObjectNode result = answer.putObject("result").put("order", order);
        if (order.isEmpty()) {
            result.put("error", "no order number was given");
        } else {
            result.put("status", "shipped").put("carrier", "UPS").put("expected", "tomorrow before noon");
        }
        ctx.response().putHeader("Content-Type", "application/json").end(answer.toString());
    }
}
