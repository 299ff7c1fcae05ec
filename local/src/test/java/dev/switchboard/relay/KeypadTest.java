package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.KeypadState;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 000: keys are gathered into one entry, and the model answers once, after the caller finished typing. */
@QuarkusTest
class KeypadTest extends RelayTestBase {

    @BeforeEach
    void setUp() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
    }

    List<String> keypadItems(RelayHarness.Call call) {
        return harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == call.session().id())
                .map(e -> e.json().path("item").path("content").get(0).path("text").asText())
                .filter(t -> t.startsWith("Keypad entry"))
                .toList();
    }

    long responseCreates(RelayHarness.Call call) {
        return harness.realtime().events("response.create").stream().filter(e -> e.connection() == call.session().id()).count();
    }

    @Test
    void seed000KeysThenTerminatorGiveOneEntryAndOneResponse() throws Exception {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Enter your account number.", 300),
                Reply.speak("Thanks, account 1234.", 300), Reply.speak("And 56.", 300)), 4.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 300, "the greeting");
        long before = responseCreates(call);
        for (String key : List.of("1", "2", "3", "4")) {
            caller.sendDtmf(key);
            Thread.sleep(150);
        }
        Thread.sleep(300);
        assertEquals(List.of(), keypadItems(call), "nothing reaches the model before #");
        assertEquals(before, responseCreates(call), "no response per key");
        caller.sendDtmf("#");
        await(Duration.ofSeconds(3), () -> keypadItems(call).size() == 1, "the entry");
        assertEquals(List.of("Keypad entry: 1234"), keypadItems(call));
        await(Duration.ofSeconds(3), () -> responseCreates(call) == before + 1, "one response");
        await(Duration.ofSeconds(5), () -> caller.heardMillis() >= 600, "the answer");

        // 5, 6 and silence: the entry ends after the inter-digit timeout (2 s by default)
        long before2 = responseCreates(call);
        caller.sendDtmf("5");
        caller.sendDtmf("6");
        Thread.sleep(1500);
        assertEquals(1, keypadItems(call).size(), "still typing within the timeout");
        await(Duration.ofSeconds(3), () -> keypadItems(call).size() == 2, "the entry after the timeout");
        assertEquals("Keypad entry: 56", keypadItems(call).get(1));
        await(Duration.ofSeconds(3), () -> responseCreates(call) == before2 + 1, "one response");
        Thread.sleep(300);
        assertEquals(before2 + 1, responseCreates(call));

        await(Duration.ofSeconds(3), () -> calls.keypad(call.callSid()).entries().size() == 2, "the entries in DynamoDB");
        KeypadState stored = calls.keypad(call.callSid());
        assertEquals(List.of("1234", "56"), stored.entries().stream().map(e -> e.digits()).toList());
        assertEquals(List.of("terminator", "timeout"), stored.entries().stream().map(e -> e.endedBy()).toList());
        assertEquals("", stored.buffer());
        assertEquals(List.of(), harness.realtime().rejected());
        caller.hangUp();
    }

    @Test
    void aKeyWhileTheAgentSpeaksInterruptsItAndTheDigitsStillAggregate() throws Exception {
        // the model streams faster than real time, as the real one does, so agent audio waits at Twilio
        harness.realtime().speed(2.0);
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Welcome. For sales press 1, for support press 2, for anything else stay on the line.", 6000),
                Reply.speak("Support it is.", 300)), 1.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 1000, "a second of the menu");
        caller.sendDtmf("2");
        await(Duration.ofSeconds(3), () -> !caller.received("clear").isEmpty(), "the clear");
        await(Duration.ofSeconds(3), () -> !harness.realtime().events("response.cancel").isEmpty(), "the cancel");
        List<RecordedEvent> truncates = harness.realtime().events("conversation.item.truncate");
        assertEquals(1, truncates.size());
        assertTrue(truncates.get(0).json().path("audio_end_ms").asLong() > 0);
        caller.sendDtmf("#");
        await(Duration.ofSeconds(3), () -> keypadItems(call).size() == 1, "the entry");
        assertEquals("Keypad entry: 2", keypadItems(call).get(0));
        await(Duration.ofSeconds(5), () -> harness.realtime().events("response.create").stream()
                .filter(e -> e.connection() == call.session().id()).count() == 2, "the answer to the entry");
        assertEquals(List.of(), harness.realtime().rejected());
        caller.hangUp();
    }

    @Test
    void starClearsTheEntryByDefault() throws Exception {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Enter your PIN.", 300), Reply.speak("Ok.", 300)), 4.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 300, "the greeting");
        for (String key : List.of("9", "9", "*", "4", "2", "#")) {
            caller.sendDtmf(key);
        }
        await(Duration.ofSeconds(3), () -> keypadItems(call).size() == 1, "the entry");
        assertEquals("Keypad entry: 42", keypadItems(call).get(0));
        caller.hangUp();
    }
}
