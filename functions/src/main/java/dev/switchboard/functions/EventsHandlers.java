package dev.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.events.Subscribers;
import jakarta.inject.Named;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The live-events WebSocket API's routes: {@code $connect}, {@code $disconnect} and {@code subscribe}
 * ({@code {"action":"subscribe","callSid":"CA..."|"*"}}). Publishing call events to subscribers comes
 * with the live-events feature; these keep the subscriber list and acknowledge subscriptions.
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

        public Connect(Subscribers subscribers) {
            this.subscribers = subscribers;
        }

        @Override
        public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
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
        private final Optional<String> endpoint;
        private ApiGatewayManagementApiClient management;

        public Message(Subscribers subscribers, @ConfigProperty(name = "EVENTS_API_ENDPOINT") Optional<String> endpoint) {
            this.subscribers = subscribers;
            this.endpoint = endpoint;
        }

        @Override
        public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
            String connectionId = event.getRequestContext().getConnectionId();
            String callSid;
            try {
                JsonNode body = JSON.readTree(event.getBody() == null ? "{}" : event.getBody());
                callSid = body.path("callSid").asText("");
            } catch (Exception e) {
                return status(400, "the message is not JSON");
            }
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
