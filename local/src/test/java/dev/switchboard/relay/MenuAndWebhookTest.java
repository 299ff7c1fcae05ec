package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.relay.events.EventWebhook;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.TwilioRestSimulator.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 002: a menu routes keys without a model turn; keypad webhooks are signed, obeyed, and never stall a call. */
@QuarkusTest
class MenuAndWebhookTest extends RelayTestBase {

    static final String MENU_LINE = "+15558880000";
    static final ObjectMapper JSON = new ObjectMapper();
    static HttpServer receiver;
    static final List<JsonNode> received = new CopyOnWriteArrayList<>();
    static final List<Boolean> signaturesValid = new CopyOnWriteArrayList<>();
    static volatile long delayMs;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 18731), 0);
        receiver.setExecutor(Executors.newCachedThreadPool()); // a slow answer must not queue the others
        receiver.createContext("/switchboard-events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String ts = exchange.getRequestHeaders().getFirst("X-Switchboard-Timestamp");
            String sig = exchange.getRequestHeaders().getFirst("X-Switchboard-Signature");
            signaturesValid.add(("v1=" + EventWebhook.sign("webhook-test-secret", ts + "." + body)).equals(sig));
            JsonNode event = JSON.readTree(body);
            received.add(event);
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            String answer = event.path("type").asText().equals("dtmf_received") && event.path("digit").asText().equals("9")
                    ? "{\"action\":\"speak\",\"text\":\"The webhook says nine is for staff.\"}" : "{}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @BeforeEach
    void setUp() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        received.clear();
        signaturesValid.clear();
        delayMs = 0;
    }

    List<RecordedRequest> updates(String callSid) {
        return harness.twilioRest().requestsFor(callSid).stream().filter(r -> r.method().equals("POST")).toList();
    }

    List<RecordedEvent> creates(RelayHarness.Call call) {
        return harness.realtime().events("response.create").stream().filter(e -> e.connection() == call.session().id()).toList();
    }

    List<JsonNode> eventsOf(String callSid, String type) {
        return received.stream().filter(e -> e.path("session").path("id").asText().equals(callSid)
                && e.path("type").asText().equals(type)).toList();
    }

    @Test
    void seed002MenuRoutesKeysWithoutAModelTurnAndReprompts() throws Exception {
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Press 1 for sales, 2 for support.", 400),
                Reply.speak("Sorry, that is not an option.", 400),
                Reply.speak("Connecting you to sales.", 600)), 4.0, MENU_LINE);
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 400, "the menu");
        call.caller().sendDtmf("7");
        await(Duration.ofSeconds(5), () -> creates(call).size() == 2, "the re-prompt");
        assertTrue(creates(call).get(1).json().path("response").path("instructions").asText().contains("not an option"));
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 800, "the re-prompt played");
        call.caller().sendDtmf("1");
        await(Duration.ofSeconds(10), () -> !updates(call.callSid()).isEmpty(), "the transfer");
        assertTrue(call.caller().heardMillis() >= 400 + 400 + 600, "the fixed sentence played first");
        assertTrue(updates(call.callSid()).get(0).form().get("Twiml").contains("<Number>+15550201111</Number>"));
        // every response was a fixed sentence: the model never chose what to do with a key
        for (RecordedEvent e : creates(call)) {
            assertTrue(e.json().path("response").path("instructions").asText().startsWith("Say exactly")
                    || e.json().path("response").path("instructions").asText().startsWith("Greet"), e.json().toString());
        }
        List<String> notes = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == call.session().id())
                .map(e -> e.json().path("item").path("content").get(0).path("text").asText()).toList();
        assertTrue(notes.contains("The caller pressed 1 in the menu: transfer sales."), notes.toString());
        assertEquals("transferred", calls.find(call.callSid()).orElseThrow().outcome().orElseThrow().kind());
        await(Duration.ofSeconds(5), () -> eventsOf(call.callSid(), "menu_choice").size() == 2, "both menu_choice events");
        List<JsonNode> choices = eventsOf(call.callSid(), "menu_choice");
        assertEquals("7", choices.get(0).path("key").asText());
        assertFalse(choices.get(0).path("valid").asBoolean(true), "7 is not an option");
        assertEquals("1", choices.get(1).path("key").asText());
        assertTrue(choices.get(1).path("valid").asBoolean());
        assertEquals("transfer", choices.get(1).path("action").asText());
        assertEquals("sales", choices.get(1).path("target").asText());
        assertEquals(List.of(), harness.realtime().rejected());
    }

    @Test
    void poundHangsUpAfterTheGoodbyeAndTwoTransfersAtOnce() throws Exception {
        RelayHarness.Call bye = harness.call(List.of(Reply.speak("Menu.", 300), Reply.speak("Goodbye.", 400)), 4.0, MENU_LINE);
        await(Duration.ofSeconds(10), () -> bye.caller().heardMillis() >= 300, "the menu");
        bye.caller().sendDtmf("#");
        await(Duration.ofSeconds(10), () -> !updates(bye.callSid()).isEmpty(), "the hang-up");
        assertEquals("completed", updates(bye.callSid()).get(0).form().get("Status"));
        assertTrue(bye.caller().heardMillis() >= 700, "the goodbye played first");

        RelayHarness.Call support = harness.call(List.of(Reply.speak("Menu.", 300)), 4.0, MENU_LINE);
        await(Duration.ofSeconds(10), () -> support.caller().heardMillis() >= 300, "the menu");
        support.caller().sendDtmf("2");
        await(Duration.ofSeconds(5), () -> !updates(support.callSid()).isEmpty(), "the transfer");
        assertTrue(updates(support.callSid()).get(0).form().get("Twiml").contains("+15550202222"));
        assertEquals(1, creates(support).size(), "no model turn for the key");
    }

    @Test
    void webhookEventsAreSignedAndTheirActionsObeyed() throws Exception {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Menu.", 300), Reply.speak("Nine is for staff.", 400),
                Reply.speak("Sorry.", 300)), 4.0, MENU_LINE);
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 300, "the menu");
        call.caller().sendDtmf("9");
        await(Duration.ofSeconds(5), () -> creates(call).stream().anyMatch(e ->
                e.json().path("response").path("instructions").asText().contains("nine is for staff")), "the webhook's speak action");
        call.caller().hangUp();
        await(Duration.ofSeconds(5), () -> !eventsOf(call.callSid(), "session_end").isEmpty(), "session_end");
        assertEquals(1, eventsOf(call.callSid(), "session_start").size());
        assertEquals("9", eventsOf(call.callSid(), "dtmf_received").get(0).path("digit").asText());
        assertEquals("9", eventsOf(call.callSid(), "digits_collected").get(0).path("digits").asText());
        assertEquals(MENU_LINE, eventsOf(call.callSid(), "session_start").get(0).path("session").path("to_phone_number").asText());
        assertTrue(!signaturesValid.isEmpty() && signaturesValid.stream().allMatch(v -> v), "every event is correctly signed");
    }

    @Test
    void aSlowWebhookNeverStallsTheCall() throws Exception {
        delayMs = 3000; // longer than the webhook's 500 ms timeout
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Menu.", 300)), 4.0, MENU_LINE);
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 300, "the menu, despite the slow session_start");
        long pressed = System.nanoTime();
        call.caller().sendDtmf("2");
        await(Duration.ofSeconds(5), () -> !updates(call.callSid()).isEmpty(), "the transfer");
        assertTrue(System.nanoTime() - pressed < 2_000_000_000L, "the key was routed while the webhook hung");
    }
}
