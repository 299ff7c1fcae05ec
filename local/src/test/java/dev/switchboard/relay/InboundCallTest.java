package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whole calls through the relay: webhook, stream, Realtime session, record, over real sockets. */
@QuarkusTest
class InboundCallTest extends RelayTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void setUp() {
        harness.realtime().speed(1.0);
        harness.realtime().clearRecords();
    }

    /** Caller speech then enough silence for the simulator's VAD (500 ms) to end the turn. */
    static byte[] utterance(int millis, long seed) {
        return Audio.concat(Audio.speechLike(millis, seed), Audio.silence(700));
    }

    @Test
    void agentRepliesReachTheCallerCompleteAndInOrderAndTheRecordKeepsTheConversation() throws Exception {
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello, you've reached Switchboard. How can I help?", 800),
                Reply.speak("Our office opens at nine.", 1200).heard("When do you open?")), 4.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 800, "the greeting");
        caller.play(utterance(600, 1)).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 2000, "the answer");
        await(Duration.ofSeconds(5), () -> caller.marksReturnedAfterPlaying().size() == caller.received("mark").size(),
                "every mark to come back");

        List<String> items = call.session().assistantItems();
        assertEquals(2, items.size());
        byte[] expected = Audio.concat(call.session().audioSent(items.get(0)), call.session().audioSent(items.get(1)));
        assertArrayEquals(expected, caller.heardAudio(), "the caller hears every byte the model sent, in order");
        for (JsonNode mark : caller.received("mark")) {
            assertTrue(mark.path("mark").path("name").asText().matches("m\\d+"), "marks are named");
        }
        assertTrue(caller.received("clear").isEmpty());

        caller.hangUp();
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().transcript().size() >= 3, "the transcript");
        CallRecord record = calls.find(call.callSid()).orElseThrow();
        assertEquals("completed", record.outcome().orElseThrow().kind());
        assertEquals("stream stopped by Twilio", record.outcome().orElseThrow().reason());
        assertEquals(List.of("agent", "caller", "agent"), record.transcript().stream().map(l -> l.speaker()).toList());
        assertEquals("When do you open?", record.transcript().get(1).text());
        assertEquals("Our office opens at nine.", record.transcript().get(2).text());
        assertEquals(2, record.usage().responses());
        assertTrue(record.usage().outputAudioTokens() > 0);
        assertTrue(record.usage().audioMillisSent() >= 1200, "caller audio sent to the model is counted");
        assertTrue(record.streamSid().isPresent());
        assertEquals(List.of(), harness.realtime().rejected(), "the relay sent nothing the API would reject");
    }

    @Test
    void callerAudioSentBeforeTheRealtimeSessionIsReadyIsBufferedNotDropped() throws Exception {
        harness.realtime().script(() -> List.of(Reply.speak("Hello.", 300), Reply.speak("Got it.", 300)));
        harness.realtime().handshakeDelay(Duration.ofSeconds(1)); // OpenAI slow to answer: the caller talks meanwhile
        try {
            String callSid = RelayHarness.newCallSid();
            var answer = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(callSid), null);
            var twiml = ConnectStream.parse(answer.body());
            long before = harness.realtime().audioBytesReceived();
            MediaStreamCaller caller = harness.caller(callSid, 8.0);
            caller.connect(harness.mediaStreamUrl(), twiml.parameters());
            byte[] said = utterance(800, 8); // 1.5 s of audio, played in about 190 ms: all of it before the session is ready
            caller.play(said).get();
            await(Duration.ofSeconds(5), () -> harness.realtime().audioBytesReceived() - before == (800 + 700) * 8,
                    "every caller byte to reach the model");
            assertEquals((800 + 700) * 8, harness.realtime().audioBytesReceived() - before);

            List<byte[]> appends = harness.realtime().events("input_audio_buffer.append").stream()
                    .map(e -> Base64.getDecoder().decode(e.json().path("audio").asText())).toList();
            assertArrayEquals(said, Audio.concat(appends.toArray(byte[][]::new)), "every byte, in the order said");
            assertEquals(List.of(8000, 4000), appends.stream().map(a -> a.length).toList(),
                    "what came before the session goes in appends of a second at most, not one per 20 ms frame");
            caller.hangUp();
        } finally {
            harness.realtime().handshakeDelay(Duration.ZERO);
        }
    }

    @Test
    void bargeInOnTheSecondReplyTruncatesThatItemAtWhatWasHeard() throws Exception {
        harness.realtime().speed(2.0);
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hi there.", 400),
                Reply.speak("First answer, short.", 600),
                Reply.speak("Second answer, which goes on and on for a long time.", 6000),
                Reply.speak("Sure.", 400)), 2.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 400, "the greeting");
        caller.play(utterance(500, 2)).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 1000, "the first answer");
        caller.play(utterance(500, 3)).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 1000 + 1500, "1.5 s of the second answer");
        long heardAtOnset = caller.heardMillis() - 400 - 600;
        caller.play(utterance(400, 4)).get();
        await(Duration.ofSeconds(10), () -> !caller.received("clear").isEmpty(), "the relay's clear");
        await(Duration.ofSeconds(10), () -> !harness.realtime().events("response.cancel").isEmpty(), "the cancel");

        List<String> items = call.session().assistantItems();
        String second = items.get(2);
        List<RecordedEvent> truncates = harness.realtime().events("conversation.item.truncate");
        assertEquals(1, truncates.size());
        JsonNode t = truncates.get(0).json();
        assertEquals(second, t.path("item_id").asText(), "the interrupted item, not an earlier one");
        long endMs = t.path("audio_end_ms").asLong();
        long heardOfSecond = caller.clearsAtPlayedMs().get(0) - 400 - 600;
        assertTrue(endMs > 0 && endMs <= heardOfSecond, "truncated at " + endMs + " ms, heard " + heardOfSecond + " ms");
        // marks follow each 100 ms delta: the truncation point is at most one delta behind what was heard at speech onset
        assertTrue(endMs >= heardAtOnset - 100, "truncated at " + endMs + " ms, heard at onset " + heardAtOnset + " ms");
        assertTrue(endMs < call.session().audioSent(second).length / 8, "less than was sent");
        assertTrue(harness.realtime().events("response.cancel").size() == 1);
        assertTrue(!caller.marksFlushedByClear().isEmpty(), "the clear returned the pending marks");
        assertEquals(List.of(), harness.realtime().rejected());
        caller.hangUp();
    }

    @Test
    void bargeInBeforeAnyAudioPlayedSkipsTheTruncate() throws Exception {
        harness.realtime().speed(1.0);
        RelayHarness.Call call = harness.call(List.of(Reply.speak("A long greeting that will be interrupted at once.", 8000)), 1.0);
        MediaStreamCaller caller = call.caller();
        // The caller's leg plays nothing out, so no mark comes back: nothing was heard when the caller speaks.
        caller.stallPlayback();
        await(Duration.ofSeconds(10), () -> !caller.received("media").isEmpty(), "the first agent audio");
        caller.play(utterance(200, 5));
        await(Duration.ofSeconds(10), () -> !harness.realtime().events("response.cancel").isEmpty(), "the cancel");
        assertEquals(List.of(), caller.marksReturnedAfterPlaying(), "no mark came back");
        assertTrue(harness.realtime().events("conversation.item.truncate").isEmpty(), "nothing played, nothing to truncate");
        // the clear goes out on the caller's socket just before the cancel on the model's: it may land a moment later
        await(Duration.ofSeconds(2), () -> !caller.received("clear").isEmpty(), "the clear");
        assertEquals(1, caller.received("clear").size());
        assertEquals(List.of(), harness.realtime().rejected());
        caller.hangUp();
    }

    @Test
    void toolCallResultIsEncodedOnceAndTheModelIsAskedToContinue() throws Exception {
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello.", 300),
                Reply.callFunction("get_current_time", "{\"timeZone\":\"Europe/Paris\"}"),
                Reply.speak("It is ten past three in Paris.", 600)), 4.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 300, "the greeting");
        caller.play(utterance(500, 6)).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 900, "the answer after the tool");

        List<RecordedEvent> outputs = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.json().path("item").path("type").asText().equals("function_call_output")).toList();
        assertEquals(1, outputs.size());
        JsonNode output = outputs.get(0).json().path("item").path("output");
        assertTrue(output.isTextual(), "output is a string");
        JsonNode result = JSON.readTree(output.asText());
        assertTrue(result.isObject(), "the string holds JSON once, not a JSON string of JSON");
        assertEquals("Europe/Paris", result.path("timeZone").asText());
        assertTrue(result.path("date").asText().matches("\\d{4}-\\d{2}-\\d{2}"));
        // greeting, then exactly one follow-up after the tool output
        assertEquals(2, harness.realtime().events("response.create").size());
        assertEquals(List.of(), harness.realtime().rejected());
        caller.hangUp();
    }

    @Test
    void unknownToolGetsAnErrorTheModelCanReadAndTheCallGoesOn() throws Exception {
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello.", 300),
                Reply.callFunction("launch_rockets", "{}"),
                Reply.speak("Sorry, I can't do that.", 400)), 4.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 300, "the greeting");
        caller.play(utterance(500, 7)).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 700, "the apology");
        JsonNode output = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.json().path("item").path("type").asText().equals("function_call_output"))
                .findFirst().orElseThrow().json().path("item").path("output");
        assertTrue(JSON.readTree(output.asText()).path("error").asText().contains("launch_rockets"));
        caller.hangUp();
    }
}
