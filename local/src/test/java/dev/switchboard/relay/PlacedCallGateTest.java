package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.TranscriptLine;
import dev.switchboard.relay.dtmf.DtmfDetector;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls the agent places meet phone menus, call screeners and voicemail before a person: the agent
 * answers nothing on its own until it knows who answered, never talks over a prompt, presses keys
 * after each prompt ends, notices a menu that loops and gives up with an outcome, answers a screener
 * with who it is and why, and leaves its message on a voicemail greeting heard (no verdict from Twilio).
 */
@QuarkusTest
class PlacedCallGateTest extends RelayTestBase {

    static final String ACME = "+15556100000";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RecordedLiveEvents liveEvents;

    @BeforeEach
    void fresh() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
    }

    RelayHarness.Call place(List<Reply> script, String... heard) {
        RelayHarness.Placed placed = harness.placeOutbound("{\"to\":\"+15550107777\",\"from\":\"" + ACME + "\",\"agent\":\"acme-caller\","
                + "\"instructions\":\"Ask why invoice 881 is unpaid.\"}");
        harness.realtime().script(() -> script);
        harness.realtime().hear(heard);
        return harness.stream(placed.callSid(), placed.twiml(), 1.0);
    }

    /** One turn of the other side: speech, then enough quiet for the model's VAD to end the turn. */
    static void speak(MediaStreamCaller callee, int speechMs, int quietMs, long seed) throws Exception {
        callee.play(Audio.concat(Audio.speechLike(speechMs, seed), Audio.silence(quietMs))).get();
    }

    List<RecordedEvent> creates(RelayHarness.Call call) {
        return harness.realtime().events("response.create").stream().filter(e -> e.connection() == call.session().id()).toList();
    }

    List<JsonNode> live(String callSid, String type) {
        return liveEvents.of(callSid).stream().map(PlacedCallGateTest::json).filter(e -> e.path("type").asText().equals(type)).toList();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTwoLevelMenuIsNavigatedByKeysWithoutTalkingOverAPromptThenThePersonIsAnswered() throws Exception {
        RelayHarness.Call call = place(List.of(
                        Reply.callFunction("send_dtmf", "{\"digits\":\"1\"}"),
                        Reply.callFunction("send_dtmf", "{\"digits\":\"3\"}"),
                        Reply.speak("Hi Dana, I'm calling from Acme about invoice 881.", 400)),
                "Thank you for calling Northwind Supply.", "For billing, press 1. For orders, press 2.",
                "Billing. For invoices, press 3. For payments, press 4.", "Hi, this is Dana in billing, how can I help?");
        MediaStreamCaller callee = call.caller();
        JsonNode first = harness.realtime().events("session.update").get(0).json();
        assertFalse(first.at("/session/audio/input/turn_detection/create_response").asBoolean(true),
                "the model does not answer on its own before it knows who answered");

        speak(callee, 700, 600, 1); // "Thank you for calling..." then a pause inside the prompt
        assertEquals(0, creates(call).size(), "nothing said or chosen mid-prompt");
        speak(callee, 900, 1200, 2); // "...press 1..., press 2"
        await(Duration.ofSeconds(5), () -> callee.heardMillis() >= 200, "the first key");
        assertEquals(1, creates(call).size(), "one response for the whole prompt, once it ended");
        assertTrue(creates(call).get(0).json().at("/response/instructions").asText()
                .contains("Thank you for calling Northwind Supply. For billing, press 1."), creates(call).get(0).json().toString());
        Thread.sleep(300);
        assertEquals(1, creates(call).size(), "keys pressed: the agent waits for the next prompt, it does not go on talking");

        speak(callee, 900, 1200, 3); // the billing menu
        await(Duration.ofSeconds(5), () -> callee.heardMillis() >= 400, "the second key");
        speak(callee, 800, 1000, 4); // a person
        await(Duration.ofSeconds(5), () -> callee.heardMillis() >= 400 + 400, "the agent talking to the person");

        StringBuilder keys = new StringBuilder();
        new DtmfDetector(keys::append).accept(callee.heardAudio());
        assertEquals("13", keys.toString(), "the menu heard 1, then 3");
        assertTrue(harness.realtime().events("session.update").stream()
                .anyMatch(e -> e.json().at("/session/audio/input/turn_detection/create_response").asBoolean(false)),
                "a person reached: the model answers on its own from now on");
        await(Duration.ofSeconds(5), () -> live(call.callSid(), "menu_keys").size() == 2, "the path's events");
        assertEquals(List.of("menu", "person"), live(call.callSid(), "callee_identified").stream().map(e -> e.path("kind").asText()).toList());
        assertEquals(2, live(call.callSid(), "menu_prompt").size());
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().transcript().stream()
                .filter(l -> l.speaker().equals("keys")).count() == 2, "the keys on the record");
        CallRecord record = calls.find(call.callSid()).orElseThrow();
        List<String> path = record.transcript().stream().map(TranscriptLine::speaker).toList();
        assertTrue(path.indexOf("keys") > path.indexOf("caller"), "the record shows prompts heard, then keys: " + path);
        assertEquals(List.of(), harness.realtime().rejected());
        callee.hangUp();
    }

    @Test
    void aMenuThatKeepsComingBackIsTriedAnotherWayThenGivenUpWithAnOutcome() throws Exception {
        String prompt = "For billing, press 1. For orders, press 2.";
        RelayHarness.Call call = place(List.of(
                        Reply.callFunction("send_dtmf", "{\"digits\":\"1\"}"),
                        Reply.callFunction("send_dtmf", "{\"digits\":\"0\"}")),
                prompt, prompt.replace("1", "one"), prompt);
        MediaStreamCaller callee = call.caller();
        speak(callee, 900, 1200, 5);
        await(Duration.ofSeconds(5), () -> callee.heardMillis() >= 200, "the first key");
        speak(callee, 900, 1200, 6);
        await(Duration.ofSeconds(5), () -> creates(call).size() == 2, "the second try");
        assertTrue(creates(call).get(1).json().at("/response/instructions").asText().contains("Try another way"),
                creates(call).get(1).json().toString());
        speak(callee, 900, 1200, 7);
        callee.awaitClose(Duration.ofSeconds(10));
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        CallRecord record = calls.find(call.callSid()).orElseThrow();
        assertEquals("failed", record.outcome().orElseThrow().kind());
        assertTrue(record.outcome().orElseThrow().reason().startsWith("phone menu: the same prompt came back 2 times"),
                record.outcome().orElseThrow().reason());
        assertEquals(1, harness.twilioRest().requestsFor(call.callSid()).stream()
                .filter(r -> "completed".equals(r.form().get("Status"))).count(), "hung up once");
    }

    @Test
    void aCallScreenerHearsWhoIsCallingAndWhyThenThePersonIsAnswered() throws Exception {
        RelayHarness.Call call = place(List.of(
                        Reply.speak("This is Sam from Acme, calling about invoice 881.", 400),
                        Reply.speak("Hi Dana, thanks for picking up.", 400)),
                "Hi, the person you're calling is using a screening service. Please say your name and why you're calling.",
                "Hello, this is Dana.");
        MediaStreamCaller callee = call.caller();
        speak(callee, 1200, 1000, 8);
        await(Duration.ofSeconds(5), () -> callee.heardMillis() >= 400, "the agent's answer to the screener");
        assertTrue(creates(call).get(0).json().at("/response/instructions").asText().contains("call-screening assistant"));
        assertEquals(1, creates(call).size());
        speak(callee, 600, 1000, 9);
        await(Duration.ofSeconds(5), () -> callee.heardMillis() >= 800, "the agent talking to the person");
        await(Duration.ofSeconds(5), () -> live(call.callSid(), "callee_identified").size() == 2, "both identified");
        assertEquals(List.of("screener", "person"), live(call.callSid(), "callee_identified").stream().map(e -> e.path("kind").asText()).toList());
        callee.hangUp();
    }

    @Test
    void aVoicemailGreetingHeardWithoutTwilioVerdictGetsTheMessageOnceItEnds() throws Exception {
        RelayHarness.Call call = place(List.of(Reply.speak("This is Acme about invoice 881. Please call us back.", 600)),
                "Hi, you've reached Dana.", "Please leave a message after the tone.");
        MediaStreamCaller callee = call.caller();
        speak(callee, 700, 600, 10);
        speak(callee, 800, 300, 11);
        assertEquals(0, creates(call).size(), "the greeting is not talked over");
        callee.play(Audio.silence(1500)).get();
        callee.awaitClose(Duration.ofSeconds(10));
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        CallRecord record = calls.find(call.callSid()).orElseThrow();
        assertEquals("machine", record.outcome().orElseThrow().kind());
        assertEquals("heard a voicemail greeting: left a message", record.outcome().orElseThrow().reason());
        assertTrue(callee.heardMillis() >= 600, "the whole message played before the hang-up");
        assertTrue(creates(call).get(0).json().at("/response/instructions").asText().contains("Please call us back"));
    }
}
