package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.relay.events.EventWebhook;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A team's own tools, declared in the agent profile and run on its server over real sockets. */
@QuarkusTest
class CustomToolTest extends RelayTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String NUMBER = "+15552220000";
    static final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    static final List<String> badSignatures = new CopyOnWriteArrayList<>();
    static final List<Long> arrivals = new CopyOnWriteArrayList<>();
    static final List<String> lambdaCalls = new CopyOnWriteArrayList<>();
    /** Per path: {delay ms, status, body}. */
    static final Map<String, Object[]> answers = new ConcurrentHashMap<>();
    static HttpServer server;

    @BeforeAll
    static void startToolServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 18733), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/tools/", CustomToolTest::answer);
        server.createContext("/lambda/", CustomToolTest::invoke);
        server.start();
    }

    @AfterAll
    static void stopToolServer() {
        server.stop(0);
    }

    static void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String timestamp = exchange.getRequestHeaders().getFirst("X-Switchboard-Timestamp");
        String expected = "v1=" + EventWebhook.sign("webhook-test-secret", timestamp + "." + body);
        if (!expected.equals(exchange.getRequestHeaders().getFirst("X-Switchboard-Signature"))) {
            badSignatures.add(exchange.getRequestURI().getPath());
        }
        requests.add(JSON.readTree(body));
        arrivals.add(System.nanoTime());
        Object[] a = answers.getOrDefault(exchange.getRequestURI().getPath(), new Object[] {0, 200, "{\"result\":null}"});
        try {
            Thread.sleep((int) a[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] out = ((String) a[2]).getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders((int) a[1], out.length);
            exchange.getResponseBody().write(out);
        } catch (IOException gone) {
            // the relay gave up waiting: that is what a timeout test wants
        }
        exchange.close();
    }

    /** A stand-in of Lambda's Invoke API: checks the SigV4 signature's scope, answers as the function would. */
    static void invoke(HttpExchange exchange) throws IOException {
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        lambdaCalls.add(exchange.getRequestURI().getPath() + " " + authorization);
        requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        byte[] out = "{\"result\":{\"points\":1200}}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    @BeforeEach
    void reset() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        requests.clear();
        badSignatures.clear();
        arrivals.clear();
        lambdaCalls.clear();
        answers.clear();
    }

    List<RecordedEvent> outputs() {
        return harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.json().path("item").path("type").asText().equals("function_call_output")).toList();
    }

    long responsesAfter(RecordedEvent event) {
        List<RecordedEvent> all = harness.realtime().events();
        int at = all.indexOf(event);
        return all.subList(at + 1, all.size()).stream().filter(e -> e.type().equals("response.create")).count();
    }

    @Test
    void theToolServerGetsASignedCallAndItsResultReachesTheModel() {
        answers.put("/tools/order-status", new Object[] {0, 200, "{\"result\":{\"order\":\"881\",\"status\":\"shipped\"}}"});
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Order desk.", 300),
                Reply.callFunction("order_status", "{\"order\":\"881\"}").heard("Where is order 881?"),
                Reply.speak("It has shipped.", 300)), 4.0, NUMBER);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting, before the caller speaks");
        call.caller().play(BadInputTest.utterance(21));
        await(Duration.ofSeconds(10), () -> outputs().size() == 1, "the tool's output");
        assertEquals(List.of(), badSignatures, "every request is signed with the tool's secret");
        JsonNode request = requests.get(0);
        assertEquals("order_status", request.path("tool").asText());
        assertEquals("881", request.path("arguments").path("order").asText());
        assertEquals(call.callSid(), request.path("call").path("id").asText());
        assertEquals("order-desk", request.path("call").path("agent").asText());
        assertFalse(request.toString().contains("5551230000"), "numbers are masked: " + request);
        assertTrue(request.path("call_id").asText().startsWith("call_"));
        JsonNode output = outputs().get(0).json().path("item");
        assertEquals(request.path("call_id").asText(), output.path("call_id").asText());
        assertEquals("{\"order\":\"881\",\"status\":\"shipped\"}", output.path("output").asText());
        await(Duration.ofSeconds(5), () -> responsesAfter(outputs().get(0)) >= 1, "the model continues");
        assertEquals(1, responsesAfter(outputs().get(0)), "one response.create after the output");
        assertTrue(harness.realtime().events("response.create").stream()
                .noneMatch(e -> e.json().toString().contains("One moment")), "a quick tool needs no filler");
        assertEquals(List.of(), harness.realtime().rejected());
        call.caller().hangUp();
    }

    @Test
    void aSlowToolGetsAFillerAndATimeoutComesBackAsAToolErrorTheCallGoesOn() {
        answers.put("/tools/order-status", new Object[] {4000, 200, "{\"result\":\"too late\"}"});
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Order desk.", 300),
                Reply.callFunction("order_status", "{\"order\":\"882\"}").heard("And order 882?"),
                Reply.speak("One moment while I check that.", 300),
                Reply.speak("Sorry, the order system is not answering.", 300)), 4.0, NUMBER);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting, before the caller speaks");
        call.caller().play(BadInputTest.utterance(22));
        await(Duration.ofSeconds(5), () -> harness.realtime().events("response.create").stream()
                .anyMatch(e -> e.json().toString().contains("One moment while I check that.")), "the filler");
        await(Duration.ofSeconds(6), () -> outputs().size() == 1, "the tool error");
        String output = outputs().get(0).json().path("item").path("output").asText();
        assertTrue(output.contains("order_status tool failed: it did not answer in time"), output);
        await(Duration.ofSeconds(5), () -> responsesAfter(outputs().get(0)) >= 1, "the model continues after the error");
        assertFalse(call.caller().isClosed(), "the call goes on");
        assertEquals(List.of(), harness.realtime().rejected());
        call.caller().hangUp();
    }

    @Test
    void twoToolCallsOfOneResponseRunSideBySideAndAreAnsweredTogether() {
        answers.put("/tools/order-status", new Object[] {1000, 200, "{\"result\":\"shipped\"}"});
        answers.put("/tools/delivery-slot", new Object[] {1000, 500, "oops"});
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Order desk.", 300),
                Reply.callFunctions("order_status", "{\"order\":\"883\"}", "delivery_slot", "{}").heard("Status and a slot?"),
                Reply.speak("Shipped; I could not get a slot.", 300)), 4.0, NUMBER);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting, before the caller speaks");
        call.caller().play(BadInputTest.utterance(23));
        await(Duration.ofSeconds(10), () -> outputs().size() == 2, "both outputs");
        assertTrue(Math.abs(arrivals.get(1) - arrivals.get(0)) < 500_000_000L,
                "the second call went out while the first (1 s) was still running: side by side");
        assertTrue(outputs().get(1).json().toString().contains("answered with HTTP status 500")
                || outputs().get(0).json().toString().contains("answered with HTTP status 500"), outputs().toString());
        await(Duration.ofSeconds(5), () -> responsesAfter(outputs().get(1)) >= 1, "the model continues");
        assertEquals(0, responsesAfter(outputs().get(0)) - responsesAfter(outputs().get(1)),
                "no response between the two outputs: answered together");
        assertEquals(List.of(), harness.realtime().rejected());
        call.caller().hangUp();
    }

    @Test
    void aLambdaToolIsInvokedSignedAndItsResultReachesTheModel() {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Order desk.", 300),
                Reply.callFunction("loyalty_points", "{}").heard("How many points do I have?"),
                Reply.speak("You have 1200 points.", 300)), 4.0, NUMBER);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting, before the caller speaks");
        call.caller().play(BadInputTest.utterance(24));
        await(Duration.ofSeconds(10), () -> outputs().size() == 1, "the function's output");
        assertEquals(1, lambdaCalls.size());
        String invocation = lambdaCalls.get(0);
        assertTrue(invocation.startsWith("/lambda/2015-03-31/functions/loyalty-lookup/invocations AWS4-HMAC-SHA256 Credential=test/")
                && invocation.contains("/us-east-1/lambda/aws4_request"), invocation);
        assertEquals("loyalty_points", requests.get(0).path("tool").asText());
        assertEquals("{\"points\":1200}", outputs().get(0).json().path("item").path("output").asText());
        await(Duration.ofSeconds(5), () -> responsesAfter(outputs().get(0)) >= 1, "the model continues");
        call.caller().hangUp();
    }
}
