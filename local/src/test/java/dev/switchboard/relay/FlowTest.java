package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seed 003's chain: consent (the model ends it), a keypad menu (no model turn), a checked id, then the agent. */
@QuarkusTest
class FlowTest extends RelayTestBase {

    @Test
    void consentThenMenuThenCollectedIdThenTheAgent() throws Exception {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("This call may be recorded. Do you agree?", 300),
                Reply.callFunction("complete_step", "{\"result\":\"consent given\"}").heard("Yes, that's fine."),
                Reply.speak("Press 1 to book, 2 for the front desk.", 300),
                Reply.speak("Booking. Please type your patient id, then pound.", 300),
                Reply.speak("Thanks. When would you like to come in?", 300)), 4.0, "+15554440000");
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 300, "the consent question");
        assertEquals("consent", calls.find(call.callSid()).orElseThrow().step().orElse(""));

        caller.play(Audio.concat(Audio.speechLike(500, 61), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 600, "the menu prompt");
        await(Duration.ofSeconds(3), () -> "menu".equals(calls.find(call.callSid()).orElseThrow().step().orElse("")), "the menu step");

        caller.sendDtmf("1");
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 900, "the booking prompt");
        await(Duration.ofSeconds(3), () -> "booking".equals(calls.find(call.callSid()).orElseThrow().step().orElse("")), "the booking step");

        for (String k : List.of("1", "2", "3", "4", "#")) {
            caller.sendDtmf(k);
            Thread.sleep(60);
        }
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 1200, "the agent, booking");
        await(Duration.ofSeconds(3), () -> "agent".equals(calls.find(call.callSid()).orElseThrow().step().orElse("")), "the agent step");

        List<RecordedEvent> updates = harness.realtime().events("session.update").stream()
                .filter(e -> e.connection() == call.session().id()).toList();
        assertEquals(4, updates.size(), "one session.update per step");
        assertTrue(tools(updates.get(0)).contains("complete_step"), "the model ends the consent step");
        assertFalse(tools(updates.get(1)).contains("complete_step"), "the menu step ends by a key, not the model");
        assertTrue(updates.get(3).json().path("session").path("instructions").asText().contains("Current step: agent."));
        List<String> items = harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == call.session().id())
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText()).toList();
        assertTrue(items.contains("Keypad entry for patient id: 1234"), items.toString());
        // the menu key was answered with the fixed sentence, not a model choice
        assertTrue(harness.realtime().events("response.create").stream().filter(e -> e.connection() == call.session().id())
                .anyMatch(e -> e.json().path("response").path("instructions").asText().contains("Booking. Please type")));
        assertTrue(harness.realtime().events("response.cancel").isEmpty(), "nothing was cut off");
        assertEquals(List.of(), harness.realtime().rejected());
        caller.hangUp();
    }

    static List<String> tools(RecordedEvent update) {
        List<String> names = new ArrayList<>();
        for (JsonNode t : update.json().path("session").path("tools")) {
            names.add(t.path("name").asText());
        }
        return names;
    }
}
