package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.config.Settings;
import dev.switchboard.relay.local.LocalStack;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's hold: asked to hold, the agent's Realtime session closes and nothing reaches OpenAI while
 * hold music plays; when a person speaks, a new session opens with the conversation and hears their
 * first words.
 */
@QuarkusTest
class HoldTest {

    RelayHarness harness;

    @AfterEach
    void hangUpWhatTheTestLeftOpen() {
        if (harness != null) {
            harness.close();
        }
    }

    @Inject
    Settings settings;
    @Inject
    LocalStack local;
    @TestHTTPResource("/")
    URI http;

    static byte[] resource(String name) throws Exception {
        try (InputStream in = HoldTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void holdCostsNothingAndAPersonSpeakingWakesTheAgentWithTheirFirstWords() throws Exception {
        harness = new RelayHarness(settings, local, http);
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        RelayHarness.Call call = harness.call(List.of(
                Reply.callFunction("wait_on_hold", "{\"reason\":\"billing asked us to hold\"}").heard("Billing, please hold.")),
                8.0, "+15553330000");
        MediaStreamCaller callee = call.caller();
        callee.play(Audio.concat(Audio.speechLike(600, 101), Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == 0, "the Realtime session to close");
        long bytesAtHold = harness.realtime().audioBytesReceived();
        int sessionsAtHold = harness.realtime().connections().size();

        // 20 s of real hold music (played 8x faster than real time): nothing may reach OpenAI
        callee.play(resource("/audio/music-macroform-cold-day-20s.ulaw")).get();
        Thread.sleep(300);
        assertEquals(bytesAtHold, harness.realtime().audioBytesReceived(), "no audio sent to OpenAI on hold");
        assertEquals(sessionsAtHold, harness.realtime().connections().size(), "music woke nobody");

        // a person: the Realtime session comes back and hears the first words
        harness.realtime().script(() -> List.of(Reply.speak("Hi, I'm calling about invoice 881.", 400).heard("Thanks for holding.")));
        byte[] speech = Arrays.copyOfRange(resource("/audio/speech-allison-20s.ulaw"), 0, 8000 * 4);
        callee.play(Audio.concat(speech, Audio.silence(800))).get();
        await(Duration.ofSeconds(10), () -> harness.realtime().connections().size() == sessionsAtHold + 1, "the wake");
        RealtimeConnection woken = harness.realtime().connections().get(sessionsAtHold);
        await(Duration.ofSeconds(10), () -> callee.heardMillis() >= 400, "the agent answering the person");

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

    /** Where the recording's speech starts: the first 20 ms frame clearly above the room noise. */
    static int firstVoicedByte(byte[] audio) {
        for (int off = 0; off + 160 <= audio.length; off += 160) {
            double sum = 0;
            for (int i = off; i < off + 160; i++) {
                double v = dev.switchboard.relay.dtmf.MuLawCodec.decode(audio[i]);
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
