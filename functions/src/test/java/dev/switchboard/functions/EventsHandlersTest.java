package dev.switchboard.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallTable;
import dev.switchboard.core.call.DynamoCallStore;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.events.Subscribers;
import dev.switchboard.core.local.EmbeddedDynamo;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The live-events WebSocket API's handlers against DynamoDB Local: {@code $connect} lets in only a
 * client with the events token (and none when no token is configured); a command comes only from a
 * connection that got in, and acts on the call as call-action does.
 */
class EventsHandlersTest {

    static EmbeddedDynamo dynamo;
    static DynamoDbClient client;
    static Settings settings;

    @BeforeAll
    static void start() {
        dynamo = EmbeddedDynamo.start(0);
        Map<String, String> env = Map.of("DYNAMODB_ENDPOINT", dynamo.endpoint().toString(), "CALLS_TABLE", "events",
                "TWILIO_AUTH_TOKEN", "t", "TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32), "PUBLIC_BASE_URL", "https://h.example.com");
        settings = Settings.from(n -> Optional.ofNullable(env.get(n)));
        client = DynamoClients.create(settings);
        CallTable.ensureExists(client, "events");
    }

    @AfterAll
    static void stop() {
        client.close();
        dynamo.close();
    }

    static Config config(String token) {
        Map<String, String> values = new HashMap<>();
        if (token != null) {
            values.put("EVENTS_TOKEN", token);
        }
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 500)).build();
    }

    static APIGatewayV2WebSocketEvent event(String connectionId, Map<String, String> query, String body) {
        APIGatewayV2WebSocketEvent e = new APIGatewayV2WebSocketEvent();
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setConnectionId(connectionId);
        e.setRequestContext(context);
        e.setQueryStringParameters(query);
        e.setBody(body);
        return e;
    }

    @Test
    void onlyAClientWithTheEventsTokenConnects() {
        Subscribers subscribers = new Subscribers(client, "events");
        EventsHandlers.Connect connect = new EventsHandlers.Connect(subscribers, config("s3cret-token"));
        assertEquals(401, connect.handleRequest(event("c-none", null, null), null).getStatusCode());
        assertEquals(401, connect.handleRequest(event("c-wrong", Map.of("token", "guess"), null), null).getStatusCode());
        assertTrue(subscribers.find("c-wrong").isEmpty(), "a refused client is not recorded");
        assertEquals(200, connect.handleRequest(event("c-right", Map.of("token", "s3cret-token"), null), null).getStatusCode());
        assertTrue(!subscribers.find("c-right").isEmpty());

        EventsHandlers.Connect unconfigured = new EventsHandlers.Connect(subscribers, config(null));
        assertEquals(503, unconfigured.handleRequest(event("c-any", Map.of("token", ""), null), null).getStatusCode());
    }

    @Test
    void aCommandComesOnlyFromAConnectedClientAndActsOnTheCall() {
        Subscribers subscribers = new Subscribers(client, "events");
        DynamoCallStore store = new DynamoCallStore(client, "events", settings.recordRetention());
        AgentProfiles agents = AgentProfiles.load(Optional.of("src/test/resources/agents"));
        CallActions actions = new CallActions(store, TemplateAgreementTest.TWILIO_OK, agents, TemplateAgreementTest.NO_RELAY, settings,
                Clock.systemUTC());
        EventsHandlers.Message message = new EventsHandlers.Message(subscribers, actions, Optional.empty());
        String call = TemplateAgreementTest.newCall(store, "tok");
        String hangUp = "{\"action\":\"command\",\"command\":\"hangup\",\"callSid\":\"" + call + "\",\"reason\":\"supervisor\"}";

        assertEquals(403, message.handleRequest(event("stranger", null, hangUp), null).getStatusCode());
        assertTrue(store.find(call).orElseThrow().outcome().isEmpty(), "a stranger's command did nothing");

        new EventsHandlers.Connect(subscribers, config("t0ken")).handleRequest(event("dashboard", Map.of("token", "t0ken"), null), null);
        assertEquals(400, message.handleRequest(event("dashboard", null,
                "{\"action\":\"command\",\"command\":\"hangup\",\"callSid\":\"CA" + "0".repeat(32) + "\"}"), null).getStatusCode());
        assertEquals(400, message.handleRequest(event("dashboard", null,
                "{\"action\":\"command\",\"command\":\"explode\",\"callSid\":\"" + call + "\"}"), null).getStatusCode());
        assertEquals(200, message.handleRequest(event("dashboard", null, hangUp), null).getStatusCode());
        assertEquals("hung_up", store.find(call).orElseThrow().outcome().orElseThrow().kind());
        assertEquals("supervisor", store.find(call).orElseThrow().outcome().orElseThrow().reason());
    }
}
