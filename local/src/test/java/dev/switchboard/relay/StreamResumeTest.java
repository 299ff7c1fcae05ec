package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import dev.switchboard.simulator.twilio.TwilioCall;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call whose media stream is cut (what Twilio sees when the relay holding it dies) goes on: Twilio
 * asks the {@code <Connect action>}, which answers with a new stream, and the relay that takes it
 * restores the conversation, the keypad entry in progress and the hold, and tells the model the line
 * dropped. A call that ended, or whose caller hung up, is not resumed. The two-process version, with a
 * relay killed for real, is {@code dev.switchboard.local.RelayLossIT}.
 */
@QuarkusTest
class StreamResumeTest extends RelayTestBase {

    @BeforeEach
    void fresh() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
    }

    @Test
    void aCutStreamResumesWithTheConversationAndTheAgentSaysItIsBack() throws Exception {
        TwilioCall call = harness.twilioCall(List.of(Reply.speak("Support, how can I help?", 300),
                Reply.speak("Order 881 ships on Tuesday.", 400).heard("Where is order 881?")), 4.0, "+15557770000");
        MediaStreamCaller first = call.current().caller();
        await(Duration.ofSeconds(10), () -> first.heardMillis() >= 300, "the greeting");
        first.play(Audio.concat(Audio.speechLike(600, 7), Audio.silence(800))).get();
        await(Duration.ofSeconds(10), () -> first.heardMillis() >= 700, "the answer");
        // the conversation is saved as the call goes, not only when a session closes
        await(Duration.ofSeconds(5), () -> calls.savedConversation(call.callSid()).items().stream()
                .anyMatch(i -> i.text().equals("Order 881 ships on Tuesday.")), "the conversation saved after the turn");

        harness.realtime().script(() -> List.of(Reply.speak("Sorry, I'm back. Anything else?", 300)));
        int sessionsBefore = harness.realtime().connections().size();
        first.drop();

        await(Duration.ofSeconds(10), () -> call.streams().size() == 2, "Twilio to open a new stream from the <Connect action>");
        assertEquals(List.of(200), call.actionStatuses());
        MediaStreamCaller second = call.current().caller();
        await(Duration.ofSeconds(10), () -> second.heardMillis() >= 300, "the agent on the new stream");
        RealtimeConnection resumed = harness.realtime().connections().get(sessionsBefore);
        List<String> seeded = items(resumed);
        assertTrue(seeded.contains("Order 881 ships on Tuesday.") && seeded.contains("Where is order 881?"), seeded.toString());
        assertTrue(seeded.stream().anyMatch(t -> t.startsWith("The phone line dropped")), seeded.toString());
        assertFalse(harness.realtime().events("response.create").stream().filter(e -> e.connection() == resumed.id())
                .anyMatch(e -> e.json().toString().contains("Greet the caller")), "no second greeting");

        await(Duration.ofSeconds(5), () -> !calls.find(call.callSid()).orElseThrow().resuming(), "the resumption recorded as done");
        CallRecord record = calls.find(call.callSid()).orElseThrow();
        assertEquals(1, record.resumes());
        assertEquals(second.streamSid(), record.streamSid().orElseThrow());
        assertTrue(record.outcome().isEmpty(), "a cut stream is not the end of the call");

        call.hangUp();
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        assertEquals("completed", calls.find(call.callSid()).orElseThrow().outcome().orElseThrow().kind());
        assertEquals("<Hangup/>", hangupBody(streamEnded(call.callSid())), "a finished call is never resumed");
        assertEquals(List.of(), harness.realtime().rejected());
    }

    @Test
    void aKeypadEntryInProgressCarriesOverToTheNewStream() throws Exception {
        TwilioCall call = harness.twilioCall(List.of(Reply.speak("Enter your account number.", 300)), 4.0, "+15557770000");
        MediaStreamCaller first = call.current().caller();
        await(Duration.ofSeconds(10), () -> first.heardMillis() >= 300, "the prompt");
        first.sendDtmf("1");
        first.sendDtmf("2");
        await(Duration.ofSeconds(5), () -> calls.keypad(call.callSid()).buffer().equals("12"), "the keys saved as they come");
        harness.realtime().script(() -> List.of(Reply.speak("I'm back.", 200), Reply.speak("Thanks.", 200)));
        first.drop();
        await(Duration.ofSeconds(10), () -> call.streams().size() == 2, "the new stream");
        MediaStreamCaller second = call.current().caller();
        await(Duration.ofSeconds(10), () -> second.heardMillis() >= 200, "the agent back");
        for (String key : List.of("3", "4", "#")) {
            second.sendDtmf(key);
        }
        await(Duration.ofSeconds(5), () -> calls.keypad(call.callSid()).entries().size() == 1, "one entry");
        assertEquals("1234", calls.keypad(call.callSid()).entries().get(0).digits(), "the keys before the cut are kept");
        call.hangUp();
    }

    @Test
    void aCallOnHoldResumesListeningWithoutOpeningTheModel() throws Exception {
        TwilioCall call = harness.twilioCall(List.of(
                Reply.callFunction("wait_on_hold", "{\"reason\":\"billing asked us to hold\"}").heard("Billing, please hold.")),
                8.0, "+15553330000");
        MediaStreamCaller first = call.current().caller();
        first.play(Audio.concat(Audio.speechLike(600, 101), Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == 0, "the session to close for hold");
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().holding(), "the hold on the record");
        int setUp = harness.realtime().events("session.update").size();

        first.drop();
        await(Duration.ofSeconds(10), () -> call.streams().size() == 2, "the new stream");
        await(Duration.ofSeconds(5), () -> !calls.find(call.callSid()).orElseThrow().resuming(), "the resumption done");
        MediaStreamCaller second = call.current().caller();
        second.play(Audio.silence(2000)).get();
        assertEquals(setUp, harness.realtime().events("session.update").size(), "on hold, no model is opened");
        assertTrue(calls.find(call.callSid()).orElseThrow().holding());

        harness.realtime().script(() -> List.of(Reply.speak("Hi, I'm calling about invoice 881.", 400).heard("Thanks for holding.")));
        second.play(Audio.concat(Audio.speechLike(1500, 5), Audio.silence(800))).get();
        await(Duration.ofSeconds(10), () -> harness.realtime().events("session.update").size() == setUp + 1, "a person wakes the agent");
        await(Duration.ofSeconds(10), () -> second.heardMillis() >= 400, "the agent answering");
        int id = harness.realtime().events("session.update").get(setUp).connection();
        List<String> restored = harness.realtime().events("conversation.item.create").stream().filter(e -> e.connection() == id)
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText()).toList();
        assertTrue(restored.contains("Billing, please hold."), restored.toString());
        call.hangUp();
    }

    @Test
    void aCallWhoseCallerHungUpIsNotResumed() throws Exception {
        TwilioCall call = harness.twilioCall(List.of(Reply.speak("Support, how can I help?", 300)), 4.0, "+15557770000");
        await(Duration.ofSeconds(10), () -> call.current().caller().heardMillis() >= 300, "the greeting");
        call.hangUp();
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        HttpResponse<String> answer = streamEnded(call.callSid());
        assertEquals(200, answer.statusCode());
        assertEquals("<Hangup/>", hangupBody(answer));
        assertEquals(0, calls.find(call.callSid()).orElseThrow().resumes());
    }

    /** The relay letting go writes to the record (conversation, hold state) just as Twilio asks what next. */
    @Test
    void aRecordStillBeingWrittenAsTheStreamEndsIsResumedNotHungUp() throws Exception {
        TwilioCall call = harness.twilioCall(List.of(Reply.speak("Support, how can I help?", 300)), 4.0, "+15557770000");
        await(Duration.ofSeconds(10), () -> call.current().caller().heardMillis() >= 300, "the greeting");
        String streamSid = calls.find(call.callSid()).orElseThrow().streamSid().orElseThrow();
        CountDownLatch started = new CountDownLatch(1);
        Thread relayLettingGo = new Thread(() -> {
            long end = System.nanoTime() + 200_000_000L; // a burst of writes, back to back, for 200 ms
            for (int i = 0; System.nanoTime() < end; i++) {
                calls.saveHolding(call.callSid(), streamSid, i % 2 == 0, Instant.now());
                started.countDown();
            }
        });
        relayLettingGo.start();
        started.await();
        HttpResponse<String> answer = streamEnded(call.callSid());
        relayLettingGo.join();
        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().contains("<Connect"), "resumed: " + answer.body());
        assertTrue(calls.find(call.callSid()).orElseThrow().outcome().isEmpty(), "no outcome written");
        call.hangUp();
    }

    @Test
    void theStreamEndedWebhookRefusesABadSignatureAndAnUnknownCall() {
        HttpResponse<String> forged = harness.postWebhook("/twilio/stream-ended", Map.of("CallSid", "CA" + "1".repeat(32)), "bad");
        assertEquals(403, forged.statusCode());
        assertEquals(404, streamEnded("CA" + "2".repeat(32)).statusCode());
    }

    private HttpResponse<String> streamEnded(String callSid) {
        return harness.postWebhook("/twilio/stream-ended", Map.of("AccountSid", "AC" + "0".repeat(32), "CallSid", callSid,
                "CallStatus", "in-progress"), null);
    }

    private static String hangupBody(HttpResponse<String> answer) {
        return answer.body().replaceAll("<\\?xml[^>]*>", "").replace("<Response>", "").replace("</Response>", "").trim();
    }

    private List<String> items(RealtimeConnection c) {
        return harness.realtime().events("conversation.item.create").stream().filter(e -> e.connection() == c.id())
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText()).toList();
    }
}
