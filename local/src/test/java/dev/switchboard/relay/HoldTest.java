package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.HoldUsage;
import dev.switchboard.relay.audio.MuLawCodec;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's hold: asked to hold, the agent's Realtime session closes and nothing reaches OpenAI while
 * hold music plays; a recorded announcement wakes the agent once and never again; when a person
 * speaks, a new session opens with the conversation and hears their first words. Also: hold entered
 * by itself after music with no speech, and the hold limit.
 */
@QuarkusTest
class HoldTest extends RelayTestBase {

    static byte[] resource(String name) throws Exception {
        try (InputStream in = HoldTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void holdCostsNothingAndAPersonSpeakingWakesTheAgentWithTheirFirstWords() throws Exception {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        RelayHarness.Call call = harness.call(List.of(
                Reply.callFunction("wait_on_hold", "{\"reason\":\"billing asked us to hold\"}").heard("Billing, please hold.")),
                8.0, "+15553330000");
        MediaStreamCaller callee = call.caller();
        callee.play(Audio.concat(Audio.speechLike(600, 101), Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == 0, "the Realtime session to close");
        long bytesAtHold = harness.realtime().audioBytesReceived();
        int sessionsAtHold = sessions();

        // 20 s of real hold music (played 8x faster than real time): nothing may reach OpenAI (a socket
        // opened ahead of a wake may be connected, but it is sent nothing)
        callee.play(resource("/audio/music-macroform-cold-day-20s.ulaw")).get();
        Thread.sleep(300);
        assertEquals(bytesAtHold, harness.realtime().audioBytesReceived(), "no audio sent to OpenAI on hold");
        assertEquals(sessionsAtHold, sessions(), "music woke nobody");
        assertTrue(harness.realtime().openConnections() <= 1, "at most the one socket kept ready for a wake");

        // a person: the Realtime session comes back and hears the first words
        harness.realtime().script(() -> List.of(Reply.speak("Hi, I'm calling about invoice 881.", 400).heard("Thanks for holding.")));
        byte[] speech = Arrays.copyOfRange(resource("/audio/speech-allison-20s.ulaw"), 0, 8000 * 4);
        callee.play(Audio.concat(speech, Audio.silence(800))).get();
        await(Duration.ofSeconds(10), () -> sessions() == sessionsAtHold + 1, "the wake");
        RealtimeConnection woken = session(sessionsAtHold);
        await(Duration.ofSeconds(10), () -> callee.heardMillis() >= 400, "the agent answering the person");
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().hold().wakes() == 1, "the wake counted");
        assertEquals(1, calls.find(call.callSid()).orElseThrow().hold().warmWakes(),
                "the socket was opened at the first sound of speech, before the wake");
        assertEquals(1, harness.realtime().openConnections(), "one session, the woken one");

        byte[] heardByModel = woken.audioReceived();
        int firstVoiced = firstVoicedByte(speech);
        byte[] firstWords = Arrays.copyOfRange(speech, firstVoiced, firstVoiced + 2400); // 300 ms from speech onset
        assertTrue(indexOf(heardByModel, firstWords) >= 0, "the new session received the first words of the person");
        List<String> restored = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == woken.id())
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText()).toList();
        assertTrue(restored.contains("Billing, please hold."), restored.toString());
        assertTrue(restored.stream().anyMatch(t -> t.startsWith("You were on hold")), restored.toString());
        assertEquals(List.of(), harness.realtime().rejected());
        callee.hangUp();
    }

    static byte[] seconds(byte[] audio, double from, double to) {
        return Arrays.copyOfRange(audio, (int) (from * 8000), (int) (to * 8000));
    }

    @Test
    void seed004OutboundCallWaitsOnHoldIgnoresARepeatedAnnouncementAndFinishesItsTaskWithThePerson() throws Exception {
        harness.realtime().speed(8.0);
        harness.realtime().clearRecords();
        byte[] music = resource("/audio/music-macroform-cold-day-20s.ulaw");
        byte[] speech = resource("/audio/speech-allison-20s.ulaw");
        byte[] announcement = Audio.concat(seconds(speech, 0, 5), Audio.silence(800)); // a recording, then a breath

        RelayHarness.Placed placed = harness.placeOutbound("{\"to\":\"+15550104444\",\"from\":\"+15553330000\","
                + "\"agent\":\"hold-line\",\"instructions\":\"Ask billing why invoice 881 was charged twice.\"}");
        harness.realtime().script(() -> List.of(
                Reply.speak("Hi, I'm calling about invoice 881.", 400).heard("Billing desk."),
                Reply.callFunction("wait_on_hold", "{\"reason\":\"billing asked us to hold\"}").heard("Please hold.")));
        RelayHarness.Call call = harness.stream(placed.callSid(), placed.twiml(), 8.0);
        MediaStreamCaller callee = call.caller();
        callee.play(Audio.concat(Audio.speechLike(500, 11), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> callee.heardMillis() >= 400, "the agent's opening");
        callee.play(Audio.concat(Audio.speechLike(500, 12), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> harness.realtime().openConnections() == 0, "the session to close for hold");
        // saved as the call goes, and again as the session closes for hold: wait for the hold's save
        await(Duration.ofSeconds(5), () -> calls.savedConversation(placed.callSid()).items().stream()
                .anyMatch(i -> i.text().equals("Please hold.")), "the conversation saved at the hold");
        List<String> saved = calls.savedConversation(placed.callSid()).items().stream().map(i -> i.role() + ": " + i.text()).toList();
        assertTrue(saved.contains("assistant: Hi, I'm calling about invoice 881."), saved.toString());
        assertTrue(saved.contains("user: Please hold."), saved.toString());

        // music, then the hold line's announcement: it wakes the agent, which hears a recording
        harness.realtime().script(() -> List.of(Reply.callFunction("continue_hold", "{\"reason\":\"a recorded announcement\"}")
                .heard("Your call is important to us.")));
        // a session is counted by its session.update: a socket opened ahead of a wake is sent nothing until then
        int sessionsBefore = sessions();
        long bytesBefore = harness.realtime().audioBytesReceived();
        callee.play(seconds(music, 0, 8)).get();
        assertEquals(bytesBefore, harness.realtime().audioBytesReceived(), "music: nothing sent to OpenAI");
        assertEquals(sessionsBefore, sessions(), "music: no wake");
        callee.play(Audio.concat(announcement, seconds(music, 8, 10))).get();
        await(Duration.ofSeconds(10), () -> sessions() == sessionsBefore + 1, "the announcement's wake");
        await(Duration.ofSeconds(10), () -> harness.realtime().openConnections() == 0, "continue_hold closing the session again");
        long bytesAfterFalseWake = harness.realtime().audioBytesReceived();
        assertTrue(bytesAfterFalseWake > bytesBefore, "the announcement's wake sent it to the model");

        // the same announcement comes round again: recognised, no wake, nothing sent, no socket opened for it
        int socketsBefore = harness.realtime().connections().size();
        callee.play(Audio.concat(seconds(music, 10, 16), announcement, seconds(music, 16, 18))).get();
        Thread.sleep(300);
        assertEquals(sessionsBefore + 1, sessions(), "no wake for the repeated announcement");
        assertEquals(bytesAfterFalseWake, harness.realtime().audioBytesReceived(), "nothing sent for the repeat");
        assertEquals(socketsBefore, harness.realtime().connections().size(),
                "no socket opened ahead of a wake for an onset recognised as the dismissed recording");

        // a person: the agent wakes with the conversation and their first words, does its task and says goodbye
        harness.realtime().script(() -> List.of(
                Reply.speak("Hi, I'm calling about invoice 881, which was charged twice.", 400).heard("Thanks for holding."),
                Reply.callFunction("end_call", "{}").heard("Refunded."),
                Reply.speak("Thank you, goodbye.", 300)));
        byte[] person = seconds(speech, 9, 13);
        callee.play(Audio.concat(person, Audio.silence(800))).get();
        await(Duration.ofSeconds(10), () -> sessions() == sessionsBefore + 2, "the person's wake");
        RealtimeConnection woken = session(sessionsBefore + 1);
        await(Duration.ofSeconds(10), () -> !woken.assistantItems().isEmpty(), "the agent answering the person");
        int firstVoiced = firstVoicedByte(person);
        byte[] firstWords = Arrays.copyOfRange(person, firstVoiced, firstVoiced + 2400);
        assertTrue(indexOf(woken.audioReceived(), firstWords) >= 0, "the new session heard the person's first words");
        List<String> restored = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == woken.id())
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText()).toList();
        assertTrue(restored.contains("Please hold."), restored.toString());
        assertTrue(restored.stream().anyMatch(t -> t.startsWith("You called continue_hold")), restored.toString());

        callee.play(Audio.concat(Audio.speechLike(600, 13), Audio.silence(700))).get();
        callee.awaitClose(Duration.ofSeconds(10)); // throws if the call's stream is still open
        await(Duration.ofSeconds(10), () -> calls.find(placed.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        CallRecord record = calls.find(placed.callSid()).orElseThrow();
        assertEquals("hung_up", record.outcome().orElseThrow().kind());
        await(Duration.ofSeconds(5), () -> calls.find(placed.callSid()).orElseThrow().hold().wakes() == 2, "the wakes counted");
        HoldUsage hold = calls.find(placed.callSid()).orElseThrow().hold();
        assertEquals(2, hold.holds(), hold.toString());
        assertEquals(1, hold.falseWakes(), hold.toString());
        assertEquals(1, hold.repeatsIgnored(), hold.toString());
        assertEquals(2, hold.warmWakes(), "both wakes found their socket open: " + hold);
        assertTrue(hold.wakeAudioMillis() > 0 && hold.heldMillis() > 0 && hold.avoidedMicroUsd() > 0, hold.toString());
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == 0, "no Realtime socket left");
        assertEquals(List.of(), harness.realtime().rejected());
    }

    @Test
    void musicWithNoSpeechWhileTheAgentWaitsPutsTheCallOnHoldByItself() throws Exception {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        RelayHarness.Placed placed = harness.placeOutbound("{\"to\":\"+15550104444\",\"from\":\"+15553330001\","
                + "\"agent\":\"auto-hold\",\"instructions\":\"Ask about invoice 881.\"}");
        harness.realtime().script(() -> List.of(Reply.speak("Hi, I'm calling about invoice 881.", 400).heard("Billing desk.")));
        RelayHarness.Call call = harness.stream(placed.callSid(), placed.twiml(), 4.0);
        MediaStreamCaller callee = call.caller();
        callee.play(Audio.concat(Audio.speechLike(500, 21), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> callee.heardMillis() >= 400, "the agent's opening");
        // they put the call on hold without a word: music only
        callee.play(resource("/audio/music-macroform-cold-day-20s.ulaw"));
        await(Duration.ofSeconds(10), () -> calls.find(placed.callSid()).orElseThrow().hold().holds() == 1, "automatic hold");
        assertTrue(harness.realtime().events("conversation.item.create").stream()
                .noneMatch(e -> e.json().path("item").path("type").asText().equals("function_call_output")), "no tool was needed");
        assertEquals(1, sessions(), "the session closed, no other set up");
        assertEquals(List.of(), harness.realtime().rejected());
        callee.hangUp();
    }

    @Test
    void pastTheHoldLimitTheAgentLeavesItsMessageAndHangsUp() throws Exception {
        harness.realtime().speed(4.0);
        RelayHarness.Placed placed = harness.placeOutbound("{\"to\":\"+15550104444\",\"from\":\"+15553330002\","
                + "\"agent\":\"hold-limit\"}");
        harness.realtime().script(() -> List.of(Reply.callFunction("wait_on_hold", "{}").heard("Please hold.")));
        RelayHarness.Call call = harness.stream(placed.callSid(), placed.twiml(), 4.0);
        MediaStreamCaller callee = call.caller();
        callee.play(Audio.concat(Audio.speechLike(500, 31), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> harness.realtime().openConnections() == 0, "hold");
        harness.realtime().script(() -> List.of(Reply.speak("We could not wait any longer; we will call back tomorrow. Goodbye.", 500)));
        // the profile's limit is 3 s: the agent comes back, says its message into the line, hangs up
        callee.awaitClose(Duration.ofSeconds(15)); // throws if the call's stream is still open
        await(Duration.ofSeconds(10), () -> calls.find(placed.callSid()).orElseThrow().outcome().isPresent(), "the outcome");
        CallRecord record = calls.find(placed.callSid()).orElseThrow();
        assertEquals("hung_up", record.outcome().orElseThrow().kind());
        assertTrue(record.outcome().orElseThrow().reason().contains("the profile's limit"), record.outcome().toString());
        assertTrue(callee.heardMillis() >= 500, "the message was played into the line before hanging up");
        assertTrue(harness.twilioRest().requestsFor(placed.callSid()).stream()
                .anyMatch(r -> "completed".equals(r.form().get("Status"))), "hung up over REST");
    }

    /** Where the recording's speech starts: the first 20 ms frame clearly above the room noise. */
    static int firstVoicedByte(byte[] audio) {
        for (int off = 0; off + 160 <= audio.length; off += 160) {
            double sum = 0;
            for (int i = off; i < off + 160; i++) {
                double v = MuLawCodec.decode(audio[i]);
                sum += v * v;
            }
            if (Math.sqrt(sum / 160) > 500) {
                return off;
            }
        }
        throw new AssertionError("no speech in the excerpt");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
