package dev.switchboard.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.webhook.SwitchboardSignature;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-call setup webhook: asked before an inbound call is answered, within its timeout. */
@QuarkusTest
class SetupTest extends RelayTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String NUMBER = "+15553334444";
    static final List<JsonNode> asked = new CopyOnWriteArrayList<>();
    static final List<Boolean> signed = new CopyOnWriteArrayList<>();
    static volatile String answer = "{}";
    static volatile int delayMs;
    static HttpServer server;

    @BeforeAll
    static void startSetupServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 18734), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/setup", SetupTest::setup);
        server.start();
    }

    @AfterAll
    static void stopSetupServer() {
        server.stop(0);
    }

    static void setup(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String timestamp = exchange.getRequestHeaders().getFirst("X-Switchboard-Timestamp");
        signed.add(SwitchboardSignature.header("webhook-test-secret", timestamp, body)
                .equals(exchange.getRequestHeaders().getFirst("X-Switchboard-Signature")));
        asked.add(JSON.readTree(body));
        try {
            Thread.sleep(delayMs);
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
        } catch (InterruptedException | IOException gone) {
            // the webhook stopped waiting
        }
        exchange.close();
    }

    @BeforeEach
    void reset() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        asked.clear();
        signed.clear();
        delayMs = 0;
    }

    String instructionsOfTheSession() {
        // the simulator marks the session configured a moment before it records the event
        RelayHarness.await(java.time.Duration.ofSeconds(5), () -> !harness.realtime().events("session.update").isEmpty(),
                "the session.update");
        return harness.realtime().events("session.update").get(0).json().path("session").path("instructions").asText();
    }

    String greetingInstructions() {
        return harness.realtime().events("response.create").stream().map(RecordedEvent::json)
                .map(j -> j.path("response").path("instructions").asText()).filter(t -> t.startsWith("Greet"))
                .findFirst().orElse("");
    }

    @Test
    void itsVariablesAndInstructionsReachTheSessionAndTheGreeting() {
        answer = "{\"variables\":{\"customer\":\"Ada\"},\"instructions\":\"Ada is a premium customer.\"}";
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello Ada, thanks for calling.", 300)), 4.0, NUMBER);
        assertEquals(List.of(true), signed, "one signed request");
        JsonNode request = asked.get(0);
        assertEquals(call.callSid(), request.path("call").path("id").asText());
        assertEquals(NUMBER, request.path("call").path("to").asText());
        assertEquals("+15551230000", request.path("call").path("from").asText());
        String instructions = instructionsOfTheSession();
        assertTrue(instructions.contains("You help Ada with their account.") && instructions.contains("Ada is a premium customer."),
                instructions);
        RelayHarness.await(java.time.Duration.ofSeconds(5), () -> !greetingInstructions().isEmpty(), "the greeting");
        assertTrue(greetingInstructions().contains("Hello Ada, thanks for calling."), greetingInstructions());
        assertEquals(java.util.Map.of("customer", "Ada"), calls.find(call.callSid()).orElseThrow().variables(), "kept on the record");
        call.caller().hangUp();
    }

    @Test
    void noAnswerInTimeLeavesTheProfileAsWritten() {
        answer = "{\"variables\":{\"customer\":\"Too Late\"}}";
        delayMs = 3000;
        long started = System.nanoTime();
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello, thanks for calling.", 300)), 4.0, NUMBER);
        assertTrue((System.nanoTime() - started) / 1_000_000 < 2500, "the webhook waited no longer than the setup's timeout");
        String instructions = instructionsOfTheSession();
        assertTrue(instructions.contains("You help  with their account.") && !instructions.contains("Too Late"), instructions);
        call.caller().hangUp();
    }

    @Test
    void itCanRejectTheCallBeforeItReachesTheRelay() {
        answer = "{\"action\":{\"type\":\"reject\"}}";
        String callSid = RelayHarness.newCallSid();
        harness.twilioRest().registerCall(callSid, "+15551230000", NUMBER, "inbound");
        HttpResponse<String> twiml = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(callSid, NUMBER), null);
        assertEquals(200, twiml.statusCode());
        assertTrue(twiml.body().contains("<Reject") && !twiml.body().contains("<Stream"), twiml.body());
        assertEquals("rejected", calls.find(callSid).orElseThrow().outcome().orElseThrow().kind());
    }
}
