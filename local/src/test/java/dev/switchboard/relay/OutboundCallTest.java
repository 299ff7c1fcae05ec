package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.Direction;
import dev.switchboard.local.LocalStack;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.TwilioRestSimulator.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Calls the agent places: checked requests, Twilio asked to dial, and the agent on its task once answered. */
@QuarkusTest
class OutboundCallTest extends RelayTestBase {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    HttpResponse<String> post(String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(http.resolve("/calls/outbound")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badRequestsGetClearErrorsAndPlaceNoCall() throws Exception {
        int before = harness.twilioRest().requests().size();
        assertEquals(401, post("{\"to\":\"+15550001111\",\"from\":\"+15550002222\",\"agent\":\"default\"}", null).statusCode());
        HttpResponse<String> badTo = post("{\"to\":\"555-0001\",\"from\":\"+15550002222\",\"agent\":\"default\"}", LocalStack.LOCAL_INTERNAL_TOKEN);
        assertEquals(400, badTo.statusCode());
        assertTrue(JSON.readTree(badTo.body()).path("message").asText().startsWith("to must be an E.164 number"), badTo.body());
        HttpResponse<String> badAgent = post("{\"to\":\"+15550001111\",\"from\":\"+15550002222\",\"agent\":\"nobody\"}", LocalStack.LOCAL_INTERNAL_TOKEN);
        assertEquals("unknown agent 'nobody'", JSON.readTree(badAgent.body()).path("message").asText());
        HttpResponse<String> notJson = post("{to:", LocalStack.LOCAL_INTERNAL_TOKEN);
        assertEquals(400, notJson.statusCode());
        assertEquals(before, harness.twilioRest().requests().size(), "no call was placed");
    }

    @Test
    void theAgentWaitsForTheCalleeAndWorksOnItsTask() throws Exception {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        HttpResponse<String> placed = post("{\"to\":\"+15550104444\",\"from\":\"+15557770000\",\"agent\":\"support-desk\","
                + "\"instructions\":\"Ask billing why invoice 881 was charged twice.\",\"context\":{\"invoice\":881}}",
                LocalStack.LOCAL_INTERNAL_TOKEN);
        assertEquals(200, placed.statusCode(), placed.body());
        String callSid = JSON.readTree(placed.body()).path("callSid").asText();

        RecordedRequest create = harness.twilioRest().requests().stream()
                .filter(r -> r.path().endsWith("/Calls.json") && r.status() == 201).reduce((a, b) -> b).orElseThrow();
        assertEquals("+15550104444", create.form().get("To"));
        assertEquals(settings.publicBaseUrl() + "/twilio/status", create.form().get("StatusCallback"));
        ConnectStream twiml = ConnectStream.parse(create.form().get("Twiml"));
        assertEquals("outbound", twiml.parameters().get("direction"));
        CallRecord record = calls.find(callSid).orElseThrow();
        assertEquals(Direction.OUTBOUND, record.direction());
        assertTrue(record.task().orElseThrow().contains("invoice 881"));

        // Twilio: the callee picks up and the stream starts
        harness.realtime().script(() -> List.of(Reply.speak("Hi Maria, I'm calling about invoice 881.", 400)
                .heard("Billing, Maria speaking.")));
        RelayHarness.Call call = harness.stream(callSid, twiml, 4.0);
        Thread.sleep(500);
        assertEquals(0, harness.realtime().events("response.create").size(), "the agent waits for the callee's hello");
        call.caller().play(Audio.concat(Audio.speechLike(600, 71), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 400, "the agent's answer");
        JsonNode session = harness.realtime().events("session.update").get(0).json().path("session");
        assertTrue(session.path("instructions").asText().contains("Your task on this call: Ask billing why invoice 881 was charged twice."));
        assertTrue(session.path("instructions").asText().contains("Context: {\"invoice\":881}"));
        assertEquals(List.of(), harness.realtime().rejected());
        call.caller().hangUp();
    }

    @Test
    void anAnsweringMachineGetsTheProfilesMessageAfterTheBeepAndTheCallEnds() throws Exception {
        harness.realtime().speed(4.0);
        RelayHarness.Placed placed = harness.placeOutbound("{\"to\":\"+15550104444\",\"from\":\"+15553330003\","
                + "\"agent\":\"voicemail-line\",\"machineDetection\":true}");
        assertEquals("DetectMessageEnd", placed.createForm().get("MachineDetection"), "the verdict waits for the beep");
        assertEquals("true", placed.createForm().get("AsyncAmd"));
        assertEquals(settings.publicBaseUrl() + "/twilio/amd", placed.createForm().get("AsyncAmdStatusCallback"));

        harness.realtime().script(() -> List.of(
                Reply.speak("Hello, this is Switchboard calling about invoice 881. Please call us back. Goodbye.", 600)));
        RelayHarness.Call call = harness.stream(placed.callSid(), placed.twiml(), 4.0);
        // the machine's greeting plays; the agent waits as it would for a person
        call.caller().play(Audio.concat(Audio.speechLike(800, 41), Audio.silence(300))).get();
        assertEquals(403, harness.postWebhook("/twilio/amd", Map.of("CallSid", placed.callSid(),
                "AnsweredBy", "machine_end_beep"), "bad-signature").statusCode(), "unsigned verdicts are refused");
        assertEquals(204, harness.postWebhook("/twilio/amd", Map.of("CallSid", placed.callSid(),
                "AnsweredBy", "machine_end_beep"), null).statusCode());
        call.caller().awaitClose(Duration.ofSeconds(15)); // throws if the call's stream is still open
        await(Duration.ofSeconds(10), () -> calls.find(placed.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        CallRecord record = calls.find(placed.callSid()).orElseThrow();
        assertEquals("machine", record.outcome().orElseThrow().kind());
        assertEquals("answered by machine_end_beep: left a message", record.outcome().orElseThrow().reason());
        assertEquals(Optional.of("machine_end_beep"), record.answeredBy());
        assertTrue(call.caller().heardMillis() >= 600, "the whole message played before the hang-up");
        assertTrue(harness.realtime().events("response.create").stream()
                .anyMatch(e -> e.json().path("response").path("instructions").asText().contains("invoice 881. Please call us back")));
        assertEquals(1, harness.twilioRest().requestsFor(placed.callSid()).stream()
                .filter(r -> "completed".equals(r.form().get("Status"))).count(), "hung up exactly once");
        assertEquals(404, harness.postWebhook("/twilio/amd", Map.of("CallSid", "CA" + "7".repeat(32),
                "AnsweredBy", "human"), null).statusCode(), "unknown call");
    }

    @Test
    void aPhoneTreeThatAnswersIsNotVoicemailTheAgentStaysOnTheLine() throws Exception {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        RelayHarness.Placed placed = harness.placeOutbound("{\"to\":\"+15550104444\",\"from\":\"+15553330003\","
                + "\"agent\":\"voicemail-line\",\"machineDetection\":true}");
        harness.realtime().script(() -> List.of(Reply.speak("I'll choose billing.", 300)));
        RelayHarness.Call call = harness.stream(placed.callSid(), placed.twiml(), 4.0);
        call.caller().play(Audio.concat(Audio.speechLike(800, 43), Audio.silence(300))).get(); // "press 1 for..."
        assertEquals(204, harness.postWebhook("/twilio/amd", Map.of("CallSid", placed.callSid(),
                "AnsweredBy", "machine_end_other"), null).statusCode());
        await(Duration.ofSeconds(5), () -> harness.realtime().events("conversation.item.create").stream()
                .anyMatch(e -> e.json().toString().contains("automated system")), "the model told that a phone system answered");
        Thread.sleep(1500); // long enough for a voicemail message or a hang-up to have begun
        assertFalse(call.caller().isClosed(), "the agent stays on the line");
        CallRecord record = calls.find(placed.callSid()).orElseThrow();
        assertTrue(record.outcome().isEmpty(), "the call goes on");
        assertEquals(Optional.of("machine_end_other"), record.answeredBy());
        assertEquals(0, harness.twilioRest().requestsFor(placed.callSid()).stream()
                .filter(r -> "completed".equals(r.form().get("Status"))).count(), "not hung up");
        assertTrue(harness.realtime().events("response.create").stream()
                .noneMatch(e -> e.json().path("response").path("instructions").asText().contains("Please call us back")),
                "no voicemail message");
        call.caller().hangUp();
    }
}
