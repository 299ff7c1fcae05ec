package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.core.ObjectMappers;
import com.openai.models.realtime.ConversationItemCreateEvent;
import com.openai.models.realtime.ConversationItemTruncateEvent;
import com.openai.models.realtime.InputAudioBufferAppendEvent;
import com.openai.models.realtime.RealtimeClientEvent;
import com.openai.models.realtime.RealtimeSessionCreateRequest;
import com.openai.models.realtime.ResponseCancelEvent;
import com.openai.models.realtime.ResponseCreateEvent;
import com.openai.models.realtime.SessionUpdateEvent;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every client event the relay sends during a call that exercises them all parses as the official
 * openai-java model of its type, validates, and carries no field the model does not know.
 */
@QuarkusTest
class RealtimeConformanceTest extends RelayTestBase {

    static final Map<String, Class<?>> MODELS = Map.of(
            "session.update", SessionUpdateEvent.class,
            "input_audio_buffer.append", InputAudioBufferAppendEvent.class,
            "conversation.item.create", ConversationItemCreateEvent.class,
            "conversation.item.truncate", ConversationItemTruncateEvent.class,
            "response.create", ResponseCreateEvent.class,
            "response.cancel", ResponseCancelEvent.class);

    @Test
    void everyClientEventTheRelaySendsMatchesTheOfficialModel() throws Exception {
        harness.realtime().clearRecords();
        harness.realtime().speed(2.0);
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Hello there.", 400),
                Reply.callFunction("get_current_time", "{}"),
                Reply.speak("It is noon, and here is a long explanation of the time zones.", 12000), // long: still playing at the barge-in, however slow the machine
                Reply.speak("Okay.", 300)), 2.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 400, "the greeting");
        caller.play(Audio.concat(Audio.speechLike(500, 21), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 400 + 1000, "part of the answer");
        caller.play(Audio.concat(Audio.speechLike(400, 22), Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> !harness.realtime().events("response.cancel").isEmpty(), "the barge-in");
        await(Duration.ofSeconds(10), () -> harness.realtime().events("response.create").size() >= 2, "the follow-up");
        caller.hangUp();

        List<RecordedEvent> sent = harness.realtime().events().stream().filter(e -> e.connection() == call.session().id()).toList();
        Set<String> types = new TreeSet<>();
        for (RecordedEvent e : sent) {
            types.add(e.type());
            String json = e.json().toString();
            Class<?> model = MODELS.get(e.type());
            assertTrue(model != null, "the relay sent an event with no official model: " + e.type());
            Object parsed = ObjectMappers.jsonMapper().readValue(json, model);
            model.getMethod("validate").invoke(parsed);
            @SuppressWarnings("unchecked")
            Map<String, ?> extra = (Map<String, ?>) model.getMethod("_additionalProperties").invoke(parsed);
            assertEquals(Map.of(), extra, "unknown top-level fields in " + json);
            RealtimeClientEvent union = ObjectMappers.jsonMapper().readValue(json, RealtimeClientEvent.class);
            union.validate();
            if (parsed instanceof SessionUpdateEvent update) {
                RealtimeSessionCreateRequest session = update.session().asRealtimeSessionCreateRequest();
                session.validate();
                assertEquals(Map.of(), session._additionalProperties(), "unknown session fields in " + json);
                assertEquals("audio/pcmu", e.json().path("session").path("audio").path("input").path("format").path("type").asText());
                assertEquals("audio/pcmu", e.json().path("session").path("audio").path("output").path("format").path("type").asText());
            }
        }
        assertEquals(new TreeSet<>(MODELS.keySet()), types, "the call exercised every event the relay can send");
    }
}
