package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.DynamoCallStore;
import dev.switchboard.core.call.DynamoClients;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.core.control.HttpRelayClient;
import dev.switchboard.core.twilio.TwilioCallControl;
import dev.switchboard.local.LocalStack;
import dev.switchboard.relay.call.SessionRegistry;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import dev.switchboard.simulator.twilio.TwilioRestSimulator.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transfer to a person, hang up for real, and act on a live call from outside the relay. */
@QuarkusTest
class CallControlTest extends RelayTestBase {

    static final String SUPPORT_LINE = "+15557770000";

    @Inject
    SessionRegistry sessions;

    @BeforeEach
    void setUp() {
        harness.realtime().speed(2.0);
        harness.realtime().clearRecords();
    }

    static byte[] utterance(long seed) {
        return Audio.concat(Audio.speechLike(500, seed), Audio.silence(700));
    }

    /** What another process (the call-action Lambda) builds: its own clients, the same table and Twilio. */
    CallActions outsideActions() {
        var dynamo = DynamoClients.create(settings);
        return new CallActions(new DynamoCallStore(dynamo, settings.callsTable(), settings.recordRetention()),
                new TwilioCallControl(settings.twilioAccountSid(), settings.twilioAuthToken(), settings.twilioApiBaseUrl()),
                AgentProfiles.load(Optional.of("src/test/resources/agents")),
                new HttpRelayClient(LocalStack.LOCAL_INTERNAL_TOKEN), settings, Clock.systemUTC());
    }

    List<RecordedRequest> updates(String callSid) {
        return harness.twilioRest().requestsFor(callSid).stream().filter(r -> r.method().equals("POST")).toList();
    }

    @Test
    void seed001TransferWaitsForTheHandoffSentenceThenDialsTheRightNumber() throws Exception {
        AtomicLong heardAtDial = new AtomicLong(-1);
        AtomicLong queuedAtDial = new AtomicLong(-1);
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Support, how can I help?", 500),
                Reply.callFunction("transfer_call",
                        "{\"target\":\"support\",\"reason\":\"caller is frustrated\",\"summary\":\"Cannot log in since Monday.\"}")
                        .heard("This is useless, I want a human!"),
                Reply.speak("I understand. Let me connect you with our support team right now.", 1500)), 2.0, SUPPORT_LINE);
        MediaStreamCaller caller = call.caller();
        harness.twilioRest().onCallUpdated(u -> {
            if (u.callSid().equals(call.callSid()) && heardAtDial.get() < 0) {
                heardAtDial.set(caller.heardMillis());
                queuedAtDial.set(caller.queuedMillis());
            }
        });
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 500, "the greeting");
        caller.play(utterance(31)).get();
        await(Duration.ofSeconds(15), () -> !updates(call.callSid()).isEmpty(), "the REST update");
        int code = caller.awaitClose(Duration.ofSeconds(5));
        await(Duration.ofSeconds(2), () -> heardAtDial.get() >= 0 && queuedAtDial.get() >= 0, "the test's own REST listener"); // it sets one, then the other

        assertTrue(heardAtDial.get() >= 500 + 1500, "the handoff sentence played in full first: heard " + heardAtDial.get());
        assertEquals(0, queuedAtDial.get(), "nothing of the agent was left unplayed");
        List<RecordedRequest> requests = updates(call.callSid());
        assertEquals(1, requests.size(), "exactly one REST update");
        String twiml = requests.get(0).form().get("Twiml");
        assertTrue(twiml.contains("<Number>+15550104444</Number>"), twiml);
        assertTrue(twiml.contains("callerId=\"+15557770000\""), twiml);
        assertTrue(twiml.contains("action=\"" + settings.publicBaseUrl() + "/twilio/dial-result\""), twiml);
        assertTrue(twiml.contains("timeout=\"20\""), twiml);
        assertFalse(requests.get(0).form().containsKey("Status"), "the transfer is not a hang-up");

        await(Duration.ofSeconds(3), () -> sessions.find(call.callSid()).isEmpty(), "the session to end on Twilio's stop");
        CallRecord record = calls.find(call.callSid()).orElseThrow();
        assertEquals("transferred", record.outcome().orElseThrow().kind());
        assertEquals(Optional.of("+15550104444"), record.outcome().orElseThrow().target());
        assertEquals("caller is frustrated", record.transfer().orElseThrow().reason());
        assertTrue(record.transfer().orElseThrow().summary().contains("useless"), record.transfer().orElseThrow().summary());
        assertTrue(code == 1000 || code == -1 || code == 1005, "closed by the caller side: " + code);
        assertEquals(List.of(), harness.realtime().rejected());
    }

    @Test
    void noAnswerBringsTheCallerBackToTheAgentWithTheConversationRestored() throws Exception {
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Support, how can I help?", 400),
                Reply.callFunction("transfer_call", "{\"target\":\"billing\",\"reason\":\"billing question\"}")
                        .heard("I have a question about my invoice."),
                Reply.speak("Connecting you to billing.", 600)), 2.0, SUPPORT_LINE);
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 400, "the greeting");
        call.caller().play(utterance(32)).get();
        await(Duration.ofSeconds(15), () -> !updates(call.callSid()).isEmpty(), "the transfer");
        assertTrue(updates(call.callSid()).get(0).form().get("Twiml").contains("<Sip>sip:billing@pbx.example.com?X-Switchboard-Summary="),
                "a SIP target gets the summary as a header");
        call.caller().awaitClose(Duration.ofSeconds(5));
        await(Duration.ofSeconds(3), () -> sessions.find(call.callSid()).isEmpty(), "the first stream to end");

        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", LocalStack.LOCAL_ACCOUNT_SID);
        form.put("CallSid", call.callSid());
        form.put("DialCallStatus", "no-answer");
        form.put("DialCallDuration", "0");
        HttpResponse<String> back = harness.postWebhook("/twilio/dial-result", form, null);
        assertEquals(200, back.statusCode());
        ConnectStream again = ConnectStream.parse(back.body());
        assertFalse(again.parameters().get("token").equals(call.twiml().parameters().get("token")), "a fresh token");
        assertTrue(calls.find(call.callSid()).orElseThrow().outcome().isEmpty(), "the call is live again");

        harness.realtime().clearRecords();
        harness.realtime().script(() -> List.of(Reply.speak("Sorry, billing is not answering. Can I take a message?", 800)));
        RelayHarness.Call resumed = harness.stream(call.callSid(), again, 2.0);
        await(Duration.ofSeconds(10), () -> resumed.caller().heardMillis() >= 800, "the agent, back on the line");
        List<JsonNode> restored = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == resumed.session().id()).map(RecordedEvent::json).map(j -> j.path("item")).toList();
        assertTrue(restored.stream().anyMatch(i -> i.path("role").asText().equals("user")
                && i.path("content").get(0).path("text").asText().equals("I have a question about my invoice.")), restored.toString());
        assertTrue(restored.stream().anyMatch(i -> i.path("role").asText().equals("assistant")
                && i.path("content").get(0).path("text").asText().equals("Support, how can I help?")));
        JsonNode note = restored.get(restored.size() - 1);
        assertEquals("system", note.path("role").asText());
        assertTrue(note.path("content").get(0).path("text").asText().contains("no-answer"));
        assertEquals("no-answer", calls.find(call.callSid()).orElseThrow().transfer().orElseThrow().result().orElseThrow());
        assertEquals(List.of(), harness.realtime().rejected());
        resumed.caller().hangUp();
    }

    @Test
    void seed004EndCallHangsUpOnceAfterTheGoodbyeAndClosesBothSockets() throws Exception {
        AtomicLong heardAtHangUp = new AtomicLong(-1);
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello.", 400),
                Reply.callFunction("end_call", "{\"reason\":\"task complete\"}").heard("That's all, thanks."),
                Reply.speak("You're welcome, goodbye!", 1200)), 2.0);
        harness.twilioRest().onCallUpdated(u -> {
            if (u.callSid().equals(call.callSid()) && heardAtHangUp.get() < 0) {
                heardAtHangUp.set(call.caller().heardMillis());
            }
        });
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 400, "the greeting");
        int realtimeOpen = harness.realtime().openConnections();
        call.caller().play(utterance(33)).get();
        await(Duration.ofSeconds(15), () -> !updates(call.callSid()).isEmpty(), "the hang-up");
        // both sockets close after the REST hang-up without waiting for Twilio (bounds generous for loaded CI machines)
        call.caller().awaitClose(Duration.ofSeconds(5));
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == realtimeOpen - 1, "the Realtime socket to close");

        await(Duration.ofSeconds(2), () -> heardAtHangUp.get() >= 0, "the test's own REST listener");
        assertTrue(heardAtHangUp.get() >= 400 + 1200, "the goodbye played in full: heard " + heardAtHangUp.get());
        List<RecordedRequest> requests = updates(call.callSid());
        assertEquals(1, requests.size());
        assertEquals("completed", requests.get(0).form().get("Status"));
        await(Duration.ofSeconds(2), () -> sessions.find(call.callSid()).isEmpty(), "the session to end");
        assertEquals("hung_up", calls.find(call.callSid()).orElseThrow().outcome().orElseThrow().kind());
        assertEquals("task complete", calls.find(call.callSid()).orElseThrow().outcome().orElseThrow().reason());
    }

    @Test
    void hangUpOfACallTwilioAlreadyEndedIsNotAnError() throws Exception {
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello.", 300),
                Reply.callFunction("end_call", "{}"),
                Reply.speak("Bye.", 300)), 2.0);
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 300, "the greeting");
        harness.twilioRest().setStatus(call.callSid(), "completed"); // the far end is already gone at Twilio
        call.caller().play(utterance(34)).get();
        await(Duration.ofSeconds(15), () -> !updates(call.callSid()).isEmpty(), "the hang-up attempt");
        assertEquals(404, updates(call.callSid()).get(0).status(), "Twilio answered 20404");
        call.caller().awaitClose(Duration.ofSeconds(2));
        await(Duration.ofSeconds(2), () -> sessions.find(call.callSid()).isEmpty(), "the session to end");
        assertEquals("hung_up", calls.find(call.callSid()).orElseThrow().outcome().orElseThrow().kind());
    }

    @Test
    void callActionFromOutsideTheRelaySpeaksTransfersAndHangsUp() throws Exception {
        CallActions actions = outsideActions();
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Support, how can I help?", 300),
                Reply.speak("Your order has shipped.", 700)), 2.0, SUPPORT_LINE);
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 300, "the greeting");

        CallActionResult said = actions.handle(new CallActionRequest(call.callSid(), "say", null, "Your order has shipped.", null));
        assertTrue(said.ok(), said.message());
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 1000, "the agent to say it");
        assertTrue(harness.realtime().events("response.create").stream()
                .anyMatch(e -> e.json().path("response").path("instructions").asText().contains("Your order has shipped.")));

        CallActionResult refused = actions.handle(new CallActionRequest(call.callSid(), "transfer", "+15550000000", null, null));
        assertFalse(refused.ok(), "a number outside the directory is refused");
        assertTrue(refused.message().contains("support"), refused.message());

        CallActionResult transferred = actions.handle(new CallActionRequest(call.callSid(), "transfer", "support", null, "supervisor"));
        assertTrue(transferred.ok(), transferred.message());
        call.caller().awaitClose(Duration.ofSeconds(3));
        assertTrue(updates(call.callSid()).get(0).form().get("Twiml").contains("+15550104444"));
        assertEquals("transferred", calls.find(call.callSid()).orElseThrow().outcome().orElseThrow().kind());

        RelayHarness.Call second = harness.call(List.of(Reply.speak("Hello.", 300)), 2.0);
        await(Duration.ofSeconds(10), () -> second.caller().heardMillis() >= 300, "the greeting");
        CallActionResult hungUp = actions.handle(new CallActionRequest(second.callSid(), "hangup", null, null, "agent desk closed it"));
        assertTrue(hungUp.ok(), hungUp.message());
        second.caller().awaitClose(Duration.ofSeconds(3));
        await(Duration.ofSeconds(3), () -> sessions.find(second.callSid()).isEmpty(), "the relay to let go of the call");
        assertEquals("hung_up", calls.find(second.callSid()).orElseThrow().outcome().orElseThrow().kind());
        assertEquals(1, updates(second.callSid()).size());

        CallActionResult over = actions.handle(new CallActionRequest(second.callSid(), "hangup", null, null, null));
        assertFalse(over.ok());
        assertTrue(over.message().startsWith("the call is over"), over.message());
        CallActionResult unknown = actions.handle(new CallActionRequest("CA" + "e".repeat(32), "say", null, "hi", null));
        assertFalse(unknown.ok());
        assertTrue(unknown.message().startsWith("unknown call"));
        assertFalse(actions.handle(new CallActionRequest("nonsense", "hangup", null, null, null)).ok());
        assertFalse(actions.handle(new CallActionRequest(second.callSid(), "explode", null, null, null)).ok());
    }

    @Test
    void theInternalSayEndpointRefusesStrangers() throws Exception {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello.", 300)), 2.0);
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(http.resolve("/internal/calls/" + call.callSid() + "/say"))
                .header("Authorization", "Bearer guess").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"spend money\"}")).build();
        assertEquals(401, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        var noAuth = java.net.http.HttpRequest.newBuilder(http.resolve("/internal/calls/" + call.callSid() + "/say"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"text\":\"spend money\"}")).build();
        assertEquals(401, client.send(noAuth, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(harness.realtime().events("response.create").stream()
                .noneMatch(e -> e.json().toString().contains("spend money")));
        call.caller().hangUp();
    }
}
