package dev.switchboard.relay.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.call.CallTable;
import dev.switchboard.core.events.Subscribers;
import dev.switchboard.core.local.EmbeddedDynamo;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Live events on AWS, over real sockets: the subscribers of a call and of {@code *} (kept in DynamoDB
 * Local as the WebSocket API's handlers keep them) get each event through a stand-in of the Management
 * API's {@code PostToConnection}; others do not; a connection the API reports gone (410) is forgotten.
 * And the fan-out never makes a call wait: a stuck subscriber costs dropped, counted events.
 */
class ApiGatewaySinkTest {

    static final String CALL = "CA" + "a".repeat(32);
    static final String OTHER = "CA" + "b".repeat(32);

    static EmbeddedDynamo dynamo;
    static DynamoDbClient client;
    static HttpServer management;
    static final Map<String, List<String>> posted = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        dynamo = EmbeddedDynamo.start(0);
        client = DynamoDbClient.builder().endpointOverride(dynamo.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        CallTable.ensureExists(client, "live");
        management = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        management.createContext("/@connections/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/@connections/".length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = id.startsWith("gone") ? 410 : 200;
            if (status == 200) {
                posted.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(body);
            }
            byte[] answer = status == 410 ? "{\"message\":\"Gone\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (status == 410) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException"); // as API Gateway answers
            }
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        management.start();
    }

    @AfterAll
    static void stop() {
        management.stop(0);
        client.close();
        dynamo.close();
    }

    @Test
    void aCallsEventsReachItsSubscribersAndThoseOfEveryCallAndAGoneConnectionIsForgotten() {
        Subscribers subscribers = new Subscribers(client, "live");
        Instant now = Instant.now();
        for (String[] s : new String[][] {{"follows-call", CALL}, {"follows-all", "*"}, {"follows-other", OTHER}, {"gone-1", CALL}}) {
            subscribers.connected(s[0], now);
            subscribers.subscribe(s[0], s[1], now);
        }
        ApiGatewayManagementApiClient api = ApiGatewayManagementApiClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + management.getAddress().getPort())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        AtomicLong clock = new AtomicLong();
        ApiGatewaySink sink = new ApiGatewaySink(api, subscribers, clock::get);

        String event = "{\"type\":\"transcript\",\"v\":1,\"role\":\"agent\",\"text\":\"Hello\",\"session\":{\"id\":\"" + CALL + "\"}}";
        sink.accept(CALL, event);

        assertEquals(List.of(event), posted.get("follows-call"));
        assertEquals(List.of(event), posted.get("follows-all"));
        assertTrue(!posted.containsKey("follows-other"), "a subscriber of another call got it");
        assertTrue(!subscribers.following(CALL).contains("gone-1"), "the gone connection is forgotten: " + subscribers.following(CALL));
        assertTrue(subscribers.find("gone-1").isEmpty());

        // a subscriber that moves to another call stops getting this one's events (once the cache lapses)
        subscribers.subscribe("follows-call", OTHER, now);
        clock.addAndGet(ApiGatewaySink.FOLLOWERS_TTL_NANOS + 1);
        sink.accept(CALL, event);
        assertEquals(1, posted.get("follows-call").size());
        assertEquals(2, posted.get("follows-all").size());
    }

    @Test
    void aStuckSubscriberNeverHoldsUpTheCallsOnlyCostsCountedDroppedEvents() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LiveEvents live = new LiveEvents(List.of((callSid, json) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            long started = System.nanoTime();
            for (int i = 0; i < LiveEvents.CAPACITY + 100; i++) {
                live.publish(CALL, "{\"type\":\"transcript\"}");
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(tookMs < 5_000, "publishing waited on the subscriber: " + tookMs + " ms");
            assertTrue(live.dropped() >= 99 && live.dropped() <= 100, "dropped " + live.dropped());
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (live.delivered() + live.dropped() < LiveEvents.CAPACITY + 100 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(LiveEvents.CAPACITY + 100, live.delivered() + live.dropped(), "every event delivered or counted as dropped");
        } finally {
            live.close();
        }
    }
}
