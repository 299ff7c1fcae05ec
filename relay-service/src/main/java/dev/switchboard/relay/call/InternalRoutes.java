package dev.switchboard.relay.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.relay.config.InternalToken;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * {@code POST /internal/calls/{callSid}/say} and {@code .../note}: how another process (the
 * {@code call-action} Lambda, the console) makes the agent of a call held here speak, or gives it a note; {@code POST /internal/calls/{callSid}/answered-by}: how the
 * answering machine webhook tells the relay that a machine picked up; {@code .../warm-transfer-ended}: how
 * Twilio's final status of a warm transfer's briefing call reaches the caller's agent. Only with {@code Authorization: Bearer RELAY_INTERNAL_TOKEN};
 * without a configured token the route answers 404, so no stranger can make the model talk.
 */
@Singleton
public class InternalRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_BODY = 16 * 1024;

    void register(@Observes Router router, InternalToken token, SessionRegistry sessions) {
        router.post("/internal/calls/:callSid/say")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(ctx -> text(ctx, token, sessions, OutsideRequests::say, "speaking"));
        router.post("/internal/calls/:callSid/note")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(ctx -> text(ctx, token, sessions, OutsideRequests::note, "noted"));
        router.post("/internal/calls/:callSid/warm-transfer-ended")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(ctx -> warmTransferEnded(ctx, token, sessions));
        router.post("/internal/calls/:callSid/answered-by")
                .handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(ctx -> answeredBy(ctx, token, sessions));
    }

    /** False (and the response sent) unless the request carries the internal token. */
    private static boolean authorised(RoutingContext ctx, InternalToken token) {
        if (token.value().isEmpty()) {
            ctx.response().setStatusCode(404).end();
            return false;
        }
        String presented = Optional.ofNullable(ctx.request().getHeader("Authorization")).orElse("");
        byte[] expected = ("Bearer " + token.value()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            ctx.response().setStatusCode(401).end("unauthorized");
            return false;
        }
        return true;
    }

    private static String field(RoutingContext ctx, String name) {
        try {
            JsonNode body = JSON.readTree(ctx.body().asString());
            return body.path(name).asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static void answeredBy(RoutingContext ctx, InternalToken token, SessionRegistry sessions) {
        if (!authorised(ctx, token)) {
            return;
        }
        String verdict = field(ctx, "answeredBy");
        if (!verdict.matches("[a-z_]{1,40}")) {
            ctx.response().setStatusCode(400).end("a JSON body with Twilio's \"answeredBy\" value is required");
            return;
        }
        onCall(ctx, sessions, requests -> {
            requests.answeredBy(verdict);
            return true;
        }, "noted");
    }

    private static void warmTransferEnded(RoutingContext ctx, InternalToken token, SessionRegistry sessions) {
        if (!authorised(ctx, token)) {
            return;
        }
        String target = field(ctx, "target");
        String result = field(ctx, "result");
        if (target.isBlank() || result.isBlank()) {
            ctx.response().setStatusCode(400).end("a JSON body with \"target\" and \"result\" is required");
            return;
        }
        onCall(ctx, sessions, requests -> requests.warmTransferEnded(target, result), "the agent knows");
    }

    /** {@code say} and {@code note}: a text for the call this relay holds; {@code act} says whether it was taken. */
    private static void text(RoutingContext ctx, InternalToken token, SessionRegistry sessions,
                             BiPredicate<OutsideRequests, String> act, String accepted) {
        if (!authorised(ctx, token)) {
            return;
        }
        String text = field(ctx, "text");
        if (text.isBlank()) {
            ctx.response().setStatusCode(400).end("a JSON body with a non-empty \"text\" is required");
            return;
        }
        onCall(ctx, sessions, requests -> act.test(requests, text), accepted);
    }

    /**
     * Runs {@code act} on the call's event loop if this relay holds it (404 if not), then answers 202 with
     * {@code accepted} if it was taken, 409 if the call is not live.
     */
    private static void onCall(RoutingContext ctx, SessionRegistry sessions, Predicate<OutsideRequests> act, String accepted) {
        Optional<CallSession> session = sessions.find(ctx.pathParam("callSid"));
        if (session.isEmpty()) {
            ctx.response().setStatusCode(404).end("no live call " + ctx.pathParam("callSid") + " on this relay");
            return;
        }
        session.get().onContext(() -> {
            boolean taken = act.test(session.get().requests());
            ctx.response().setStatusCode(taken ? 202 : 409).end(taken ? accepted : "the call is not live");
        });
    }
}
