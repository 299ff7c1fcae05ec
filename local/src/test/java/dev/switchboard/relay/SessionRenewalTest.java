package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sessions are renewed before the Realtime API's 60-minute limit: here the limit is made 2 seconds. */
@QuarkusTest
@TestProfile(SessionRenewalTest.ShortSessions.class)
class SessionRenewalTest extends RelayTestBase {

    public static class ShortSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.realtime.renew-after", "2s");
        }
    }

    /**
     * The caller's transcript arrives 3 s after their turn, long after the answer, as the real API
     * may send it: the renewal waits for it, and it keeps its place before the answer.
     */
    @Test
    void aLongCallGetsAFreshSessionAtAQuietMomentWithItsConversation() throws Exception {
        harness.realtime().speed(4.0);
        harness.realtime().transcriptionDelay(Duration.ofSeconds(3));
        harness.realtime().clearRecords();
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello.", 300),
                Reply.speak("Noted: blue.", 300).heard("My favourite colour is blue.")), 4.0);
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 300, "the greeting");
        call.caller().play(Audio.concat(Audio.speechLike(500, 91), Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 600, "the answer");
        int before = harness.realtime().connections().size();
        harness.realtime().script(() -> List.of(Reply.speak("It was blue.", 300).heard("What was my colour?")));

        await(Duration.ofSeconds(12), () -> harness.realtime().connections().size() > before, "the planned renewal");
        var fresh = harness.realtime().connections().get(harness.realtime().connections().size() - 1);
        await(Duration.ofSeconds(3), () -> restoredInto(fresh.id()).size() >= 4, "the conversation restored");
        await(Duration.ofSeconds(3), () -> harness.realtime().openConnections() == 1, "the old session closed");
        assertEquals(List.of("Hello.", "My favourite colour is blue.", "Noted: blue."),
                restoredInto(fresh.id()).subList(0, 3), "both sides' turns, in order, then the renewal note");
        assertTrue(harness.realtime().events("response.create").stream().noneMatch(e -> e.connection() == fresh.id()),
                "the agent had the last word, so the new session waits for the caller");

        call.caller().play(Audio.concat(Audio.speechLike(500, 92), Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> call.caller().heardMillis() >= 900, "the conversation going on");
        assertTrue(calls.find(call.callSid()).orElseThrow().outcome().isEmpty());
        assertEquals(List.of(), harness.realtime().rejected());
        call.caller().hangUp();
    }

    private List<String> restoredInto(int connection) {
        return harness.realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == connection)
                .map(e -> e.json().path("item").path("content").path(0).path("text").asText()).toList();
    }
}
