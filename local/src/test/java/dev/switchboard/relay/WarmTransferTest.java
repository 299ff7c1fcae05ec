package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A warm transfer: the caller stays with the agent while a second call (the briefing call, its own
 * media stream to the relay) rings the person; the agent briefs them and asks. Taken: both calls meet
 * in a conference and the agent leaves both. Declined, voicemail or no answer: the briefing call ends
 * and the caller's agent is told why and tells the caller. A caller who leaves ends the briefing call.
 */
@QuarkusTest
class WarmTransferTest extends RelayTestBase {

    static final String DESK = "+15556200000";
    static final String SALES = "+15550401111";

    @Inject
    RecordedLiveEvents liveEvents;
    /** The scripts of the briefing calls' Realtime sessions, in the order they are configured. */
    final Queue<List<Reply>> scripts = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void fresh() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        scripts.clear();
    }

    static void speak(MediaStreamCaller who, int speechMs, int quietMs, long seed) throws Exception {
        who.play(Audio.concat(Audio.speechLike(speechMs, seed), Audio.silence(quietMs))).get();
    }

    /** The caller asks for sales and the agent starts the warm transfer; returns the caller's call. */
    RelayHarness.Call callerAsksForSales(List<Reply> afterTheAnswer) throws Exception {
        List<Reply> caller = new ArrayList<>(List.of(Reply.speak("Front desk.", 300),
                Reply.callFunction("transfer_call", "{\"target\":\"sales\",\"reason\":\"wants a quote\","
                        + "\"summary\":\"Alex wants a quote for 40 chairs.\"}").heard("Can I talk to sales?"),
                Reply.speak("Let me check whether sales can take your call.", 400)));
        caller.addAll(afterTheAnswer);
        RelayHarness.Call call = harness.call(caller, 1.0, DESK); // configured: the next session takes the next script
        harness.realtime().script(() -> {
            List<Reply> next = scripts.poll();
            return next == null ? List.of() : next;
        });
        await(Duration.ofSeconds(10), () -> call.caller().heardMillis() >= 300, "the greeting");
        speak(call.caller(), 600, 800, 61);
        return call;
    }

    /** The briefing call to sales, once Twilio was asked to place it: its CallSid and the TwiML it runs when answered. */
    RelayHarness.Placed briefingCall(int before) {
        await(Duration.ofSeconds(10), () -> harness.twilioRest().callsTo(SALES).size() > before, "the briefing call to sales");
        String legSid = harness.twilioRest().callsTo(SALES).get(before);
        Map<String, String> form = harness.twilioRest().requests().stream().filter(r -> r.path().endsWith("/Calls.json")
                && r.status() == 201 && SALES.equals(r.form().get("To"))).reduce((a, b) -> b).orElseThrow().form();
        return new RelayHarness.Placed(legSid, ConnectStream.parse(form.get("Twiml")), form);
    }

    List<String> live(String callSid, String type) {
        return liveEvents.of(callSid).stream().filter(e -> e.contains("\"type\":\"" + type + "\"")).toList();
    }

    long hangUps(String callSid) {
        return harness.twilioRest().requestsFor(callSid).stream().filter(r -> "completed".equals(r.form().get("Status"))).count();
    }

    void finalStatus(String callSid, String status) {
        harness.postWebhook("/twilio/status", Map.of("AccountSid", "AC" + "0".repeat(32), "CallSid", callSid, "CallStatus", status), null);
    }

    @Test
    void theBriefedPersonTakesTheCallAndBothCallsMeetInAConferenceWithoutTheAgent() throws Exception {
        int before = harness.twilioRest().callsTo(SALES).size();
        RelayHarness.Call caller = callerAsksForSales(List.of());
        RelayHarness.Placed placed = briefingCall(before);
        assertEquals(DESK, placed.createForm().get("From"), "the person sees the line the caller called");
        assertTrue(placed.createForm().containsKey("AsyncAmdStatusCallback"), "a voicemail on the person's phone is told apart");
        scripts.add(List.of(Reply.speak("Hi, it's the front desk: Alex wants a quote for 40 chairs. Can you take the call?", 600),
                Reply.callFunction("answer_transfer", "{\"accepted\":true}").heard("Sure, put them through."),
                Reply.speak("Connecting you now.", 300)));
        RelayHarness.Call leg = harness.stream(placed.callSid(), placed.twiml(), 1.0);
        assertTrue(leg.session().configured());
        speak(leg.caller(), 500, 700, 62); // "Sales, Dana speaking."
        await(Duration.ofSeconds(10), () -> leg.caller().heardMillis() >= 600, "the briefing");
        assertTrue(harness.realtime().events("session.update").stream().filter(e -> e.connection() == leg.session().id())
                .anyMatch(e -> e.json().at("/session/instructions").asText().contains("Alex wants a quote for 40 chairs.")),
                "the briefing call's task carries the summary");
        assertTrue(caller.caller().heardMillis() >= 300 + 400, "the agent stayed with the caller");
        speak(leg.caller(), 600, 800, 63); // "Sure, put them through."

        await(Duration.ofSeconds(10), () -> harness.twilioRest().conferences().containsKey("warm-" + caller.callSid()), "the conference");
        await(Duration.ofSeconds(5), () -> harness.twilioRest().conferences().get("warm-" + caller.callSid()).size() == 2, "both calls in it");
        assertEquals(List.of(caller.callSid(), placed.callSid()), harness.twilioRest().conferences().get("warm-" + caller.callSid()),
                "the caller first: the person never waits in an empty conference");
        assertTrue(leg.caller().heardMillis() >= 600 + 300, "the person heard 'connecting you' before the move");
        caller.caller().awaitClose(Duration.ofSeconds(5));
        leg.caller().awaitClose(Duration.ofSeconds(5));
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == 0, "both Realtime sockets closed");
        CallRecord record = calls.find(caller.callSid()).orElseThrow();
        assertEquals("transferred", record.outcome().orElseThrow().kind());
        assertEquals(SALES, record.outcome().orElseThrow().target().orElseThrow());
        assertEquals("answered", record.transfer().orElseThrow().result().orElseThrow());
        assertEquals("transferred", calls.find(placed.callSid()).orElseThrow().outcome().orElseThrow().kind());
        finalStatus(placed.callSid(), "completed"); // the person hangs up later: nothing more happens to the caller
        assertEquals(0, live(caller.callSid(), "transfer_failed").size());
        assertEquals(List.of(), harness.realtime().rejected());
    }

    @Test
    void theBriefedPersonDeclinesAndTheCallerIsToldWhyByTheAgent() throws Exception {
        int before = harness.twilioRest().callsTo(SALES).size();
        RelayHarness.Call caller = callerAsksForSales(List.of(Reply.speak("Sales is in a meeting. Can I take a message?", 500)));
        RelayHarness.Placed placed = briefingCall(before);
        scripts.add(List.of(Reply.speak("Hi, it's the front desk with a caller for sales. Can you take it?", 500),
                Reply.callFunction("answer_transfer", "{\"accepted\":false,\"reason\":\"in a meeting\"}").heard("Sorry, I'm in a meeting."),
                Reply.speak("No problem, thanks.", 300)));
        RelayHarness.Call leg = harness.stream(placed.callSid(), placed.twiml(), 1.0);
        speak(leg.caller(), 500, 700, 64);
        await(Duration.ofSeconds(10), () -> leg.caller().heardMillis() >= 500, "the briefing");
        long heardBefore = caller.caller().heardMillis();
        speak(leg.caller(), 600, 800, 65);
        leg.caller().awaitClose(Duration.ofSeconds(10)); // hung up once its goodbye played
        assertTrue(leg.caller().heardMillis() >= 500 + 300, "the goodbye played first");
        assertEquals(1, hangUps(placed.callSid()));
        CallRecord legRecord = calls.find(placed.callSid()).orElseThrow();
        assertEquals("declined", legRecord.outcome().orElseThrow().kind());

        finalStatus(placed.callSid(), "completed"); // Twilio's last word on the briefing call tells the caller's relay
        await(Duration.ofSeconds(10), () -> caller.caller().heardMillis() >= heardBefore + 500, "the agent telling the caller");
        assertTrue(harness.realtime().events("conversation.item.create").stream().filter(e -> e.connection() == caller.session().id())
                .anyMatch(e -> e.json().toString().contains("did not happen: declined: in a meeting")));
        await(Duration.ofSeconds(5), () -> live(caller.callSid(), "transfer_failed").size() == 1, "the event");
        assertTrue(calls.find(caller.callSid()).orElseThrow().outcome().isEmpty(), "the caller is still with the agent");
        assertTrue(harness.twilioRest().conferences().keySet().stream().noneMatch(c -> c.endsWith(caller.callSid())));
        caller.caller().hangUp();
    }

    @Test
    void voicemailOnThePersonsPhoneEndsTheBriefingCallWithoutAMessageAndTheCallerIsTold() throws Exception {
        int before = harness.twilioRest().callsTo(SALES).size();
        RelayHarness.Call caller = callerAsksForSales(List.of(Reply.speak("Sales didn't pick up. Can I take a message?", 500)));
        RelayHarness.Placed placed = briefingCall(before);
        scripts.add(List.of(Reply.speak("This must never be left on a voicemail.", 500)));
        RelayHarness.Call leg = harness.stream(placed.callSid(), placed.twiml(), 1.0);
        speak(leg.caller(), 800, 200, 66); // "Hi, you've reached Dana..."
        harness.postWebhook("/twilio/amd", Map.of("CallSid", placed.callSid(), "AnsweredBy", "machine_end_beep"), null);
        leg.caller().awaitClose(Duration.ofSeconds(10));
        assertEquals(0, leg.caller().heardMillis(), "no message left on the person's voicemail");
        assertEquals("machine", calls.find(placed.callSid()).orElseThrow().outcome().orElseThrow().kind());
        long heardBefore = caller.caller().heardMillis();
        finalStatus(placed.callSid(), "completed");
        await(Duration.ofSeconds(10), () -> caller.caller().heardMillis() >= heardBefore + 500, "the agent telling the caller");
        assertTrue(live(caller.callSid(), "transfer_failed").get(0).contains("voicemail"), live(caller.callSid(), "transfer_failed").toString());
        caller.caller().hangUp();
    }

    @Test
    void noAnswerIsToldToTheCallerAndACallerWhoLeavesEndsTheBriefingCall() throws Exception {
        int before = harness.twilioRest().callsTo(SALES).size();
        RelayHarness.Call caller = callerAsksForSales(List.of(Reply.speak("Nobody in sales answered.", 400),
                Reply.callFunction("transfer_call", "{\"target\":\"sales\"}").heard("Try them again please."),
                Reply.speak("Trying again.", 300)));
        RelayHarness.Placed first = briefingCall(before);
        long heardBefore = caller.caller().heardMillis();
        finalStatus(first.callSid(), "no-answer");
        await(Duration.ofSeconds(10), () -> caller.caller().heardMillis() >= heardBefore + 400, "the agent telling the caller");
        assertTrue(live(caller.callSid(), "transfer_failed").get(0).contains("no-answer"));

        speak(caller.caller(), 600, 800, 67); // "Try them again please."
        RelayHarness.Placed second = briefingCall(before + 1);
        caller.caller().hangUp(); // the caller gives up while sales rings
        await(Duration.ofSeconds(10), () -> hangUps(second.callSid()) == 1, "the briefing call hung up with the caller gone");
        await(Duration.ofSeconds(5), () -> calls.find(second.callSid()).orElseThrow().outcome().isPresent(), "its outcome");
        assertEquals("hung_up", calls.find(second.callSid()).orElseThrow().outcome().orElseThrow().kind());
    }
}
