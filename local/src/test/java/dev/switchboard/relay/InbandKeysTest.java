package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.dtmf.DtmfDetector;
import dev.switchboard.relay.dtmf.DtmfTones;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys as audio: the agent presses keys on a phone menu, and hears keys that arrive as tones. */
@QuarkusTest
class InbandKeysTest extends RelayTestBase {

    static final String IVR_LINE = "+15559990000";

    @BeforeEach
    void setUp() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
    }

    @Test
    void sendDtmfPlaysTonesARealDetectorAcceptsAndAnswersOnlyOnceTheyPlayed() throws Exception {
        AtomicLong heardWhenAnswered = new AtomicLong(-1);
        RelayHarness.Call call = harness.call(List.of(
                Reply.callFunction("send_dtmf", "{\"digits\":\"1w2#\"}").heard("Press 1 for billing."),
                Reply.speak("I pressed the keys.", 300)), 1.0, IVR_LINE);
        call.caller().play(Audio.concat(Audio.speechLike(600, 41), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> harness.realtime().events("conversation.item.create").stream()
                .anyMatch(e -> e.json().path("item").path("type").asText().equals("function_call_output")), "the tool's answer");
        heardWhenAnswered.set(call.caller().heardMillis());
        byte[] tones = DtmfTones.generate("1w2#", 100, 100);
        assertTrue(heardWhenAnswered.get() >= tones.length / 8, "the tool answered after the tones played: heard "
                + heardWhenAnswered.get() + " of " + tones.length / 8 + " ms");

        StringBuilder decoded = new StringBuilder();
        new DtmfDetector(decoded::append).accept(Arrays.copyOf(call.caller().heardAudio(), tones.length));
        assertEquals("12#", decoded.toString(), "a real detector hears the keys we pressed");
        RecordedEvent output = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.json().path("item").path("type").asText().equals("function_call_output")).findFirst().orElseThrow();
        assertTrue(output.json().path("item").path("output").asText().contains("\"sent\":\"1w2#\""));
        await(Duration.ofSeconds(5), () -> harness.realtime().events("response.create").size() == 1, "the model continues");
        assertEquals(List.of(), harness.realtime().rejected());
        call.caller().hangUp();
    }

    @Test
    void keysArrivingAsTonesAggregateLikeKeypadEvents() throws Exception {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Got it.", 300)), 4.0, IVR_LINE);
        call.caller().play(Audio.concat(Audio.silence(200), DtmfTones.generate("42#", 80, 80), Audio.silence(200))).get();
        await(Duration.ofSeconds(5), () -> harness.realtime().events("conversation.item.create").stream()
                .anyMatch(e -> e.json().path("item").path("content").path(0).path("text").asText().startsWith("Keypad entry")), "the entry");
        List<String> entries = harness.realtime().events("conversation.item.create").stream()
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText())
                .filter(t -> t.startsWith("Keypad entry")).toList();
        assertEquals(List.of("Keypad entry: 42"), entries);

        // the same key as a Twilio event and as a tone counts once
        call.caller().sendDtmf("7");
        call.caller().play(Audio.concat(DtmfTones.generate("7", 80, 80), Audio.silence(100))).get();
        call.caller().sendDtmf("#");
        await(Duration.ofSeconds(5), () -> harness.realtime().events("conversation.item.create").stream()
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText())
                .filter(t -> t.startsWith("Keypad entry")).count() == 2, "the second entry");
        assertTrue(harness.realtime().events("conversation.item.create").stream()
                .anyMatch(e -> e.json().path("item").path("content").path(0).path("text").asText().equals("Keypad entry: 7")));
        call.caller().hangUp();
    }
}
