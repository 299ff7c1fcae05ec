package dev.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.config.SecretsManagerLookup;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.events.Subscribers;
import jakarta.inject.Named;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The live-events WebSocket API's routes: {@code $connect} (with the events token: {@code ?token=}),
 * {@code $disconnect}, {@code subscribe} ({@code {"action":"subscribe","callSid":"CA..."|"*"}}) and
 * {@code command} ({@code {"action":"command","command":"say"|"note"|"transfer"|"hangup","callSid":...,
 * "text"/"target"/"reason"}}, done as the call-action function does it). The relay publishes the events.
 */
final class EventsHandlers {

    private EventsHandlers() {
    }

    static APIGatewayV2WebSocketResponse status(int code, String body) {
        APIGatewayV2WebSocketResponse r = new APIGatewayV2WebSocketResponse();
        r.setStatusCode(code);
        r.setBody(body);
        return r;
    }

    /** Lambda handler {@code events-connect}. */
    @Named("events-connect")
    public static class Connect implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
        private final Subscribers subscribers;
        private final String token;

        public Connect(Subscribers subscribers, Config config) {
            this.subscribers = subscribers;
            this.token = SecretsManagerLookup.wrap(name -> config.getOptionalValue(name, String.class)).apply("EVENTS_TOKEN").orElse("");
        }

        @Override
        public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
            if (token.isEmpty()) {
                return status(503, "EVENTS_TOKEN is not configured: no connection is accepted");
            }
            Map<String, String> query = event.getQueryStringParameters();
            String presented = query == null ? null : query.get("token");
            if (presented == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
                return status(401, "connect with ?token=<the events token>");
            }
            subscribers.connected(event.getRequestContext().getConnectionId(), Clock.systemUTC().instant());
            return status(200, "connected");
        }
    }

    /** Lambda handler {@code events-disconnect}. */
    @Named("events-disconnect")
    public static class Disconnect implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
        private final Subscribers subscribers;

        public Disconnect(Subscribers subscribers) {
            this.subscribers = subscribers;
        }

        @Override
        public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
            subscribers.disconnected(event.getRequestContext().getConnectionId());
            return status(200, "bye");
        }
    }

    /** Lambda handler {@code events-message}. */
    @Named("events-message")
    public static class Message implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Subscribers subscribers;
        private final CallActions actions;
        private final Optional<String> endpoint;
        private ApiGatewayManagementApiClient management;

        public Message(Subscribers subscribers, CallActions actions,
                       @ConfigProperty(name = "EVENTS_API_ENDPOINT") Optional<String> endpoint) {
            this.subscribers = subscribers;
            this.actions = actions;
            this.endpoint = endpoint;
        }

        @Override
        public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
            String connectionId = event.getRequestContext().getConnectionId();
            JsonNode body;
            try {
                body = JSON.readTree(event.getBody() == null ? "{}" : event.getBody());
            } catch (Exception e) {
                return status(400, "the message is not JSON");
            }
            if (body.path("action").asText("").equals("command")) {
                return command(connectionId, body);
            }
            String callSid = body.path("callSid").asText("");
            if (!callSid.equals("*") && !callSid.matches("CA[0-9a-fA-F]{32}")) {
                return status(400, "subscribe needs callSid: a CallSid or \"*\"");
            }
            try {
                subscribers.subscribe(connectionId, callSid, Clock.systemUTC().instant());
            } catch (ConditionalCheckFailedException gone) {
                return status(410, "unknown connection");
            }
            reply(connectionId, "{\"type\":\"subscribed\",\"callSid\":\"" + callSid + "\"}");
            return status(200, "subscribed");
        }

        /** Only connections that passed {@code $connect} (with the token) are known: others may not command. */
        private APIGatewayV2WebSocketResponse command(String connectionId, JsonNode body) {
            if (subscribers.find(connectionId).isEmpty()) {
                return status(403, "unknown connection");
            }
            CallActionResult result = actions.handle(new CallActionRequest(body.path("callSid").asText(null),
                    body.path("command").asText(null), body.path("target").asText(null), body.path("text").asText(null),
                    body.path("reason").asText("from a live-events subscriber")));
            ObjectNode answer = JSON.createObjectNode().put("type", "command_result").put("ok", result.ok())
                    .put("callSid", body.path("callSid").asText("")).put("command", body.path("command").asText(""));
            answer.put(result.ok() ? "message" : "error", result.message());
            reply(connectionId, answer.toString());
            return status(result.ok() ? 200 : 400, result.message());
        }

        private synchronized void reply(String connectionId, String json) {
            if (endpoint.isEmpty()) {
                return; // local tests: no Management API to post to
            }
            if (management == null) {
                management = ApiGatewayManagementApiClient.builder().endpointOverride(URI.create(endpoint.get()))
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            }
            management.postToConnection(b -> b.connectionId(connectionId).data(SdkBytes.fromUtf8String(json)));
        }
    }
}
