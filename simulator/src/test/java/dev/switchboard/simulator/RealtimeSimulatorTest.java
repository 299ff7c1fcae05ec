package dev.switchboard.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.audio.Voice;
import dev.switchboard.simulator.realtime.RealtimeSimulator;
import dev.switchboard.simulator.realtime.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Realtime simulator rejects what the real API rejects, so tests that pass against it mean something. */
class RealtimeSimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static RealtimeSimulator sim;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sim = new RealtimeSimulator("sk-test").start(0);
        sim.speed(20);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    /** A client that queues every server event. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static Client open(String key) {
            Client c = new Client();
            c.ws = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + key)
                    .buildAsync(sim.url(), c).join();
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    events.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String json) {
            ws.sendText(json, true).join();
        }

        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                JsonNode e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null && e.path("type").asText().equals(type)) {
                    return e;
                }
            }
            throw new AssertionError("no " + type + " event");
        }
    }

    static final String SESSION = "{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":"
            + "{\"format\":{\"type\":\"audio/pcmu\"},\"turn_detection\":{\"type\":\"server_vad\"}},"
            + "\"output\":{\"format\":{\"type\":\"audio/pcmu\"}}}}}";

    @Test
    void handshakeWithoutTheKeyIsRefused() {
        int before = sim.refusedHandshakes();
        CompletableFuture<WebSocket> f = HTTP.newWebSocketBuilder().header("Authorization", "Bearer wrong")
                .buildAsync(sim.url(), new WebSocket.Listener() { });
        try {
            f.join();
            throw new AssertionError("connected without the key");
        } catch (CompletionException expected) {
            assertEquals(before + 1, sim.refusedHandshakes());
        }
    }

    @Test
    void invalidClientEventsGetErrorsAndTheSessionStaysOpen() throws Exception {
        Client c = Client.open("sk-test");
        c.next("session.created");
        c.send("{\"type\":\"response.create\"}");
        assertTrue(c.next("error").path("error").path("message").asText().contains("session.update"));
        c.send("{\"type\":\"session.update\",\"session\":{\"instructions\":\"x\"}}");
        assertEquals("Missing required parameter: 'session.type'.", c.next("error").path("error").path("message").asText());
        c.send("{\"type\":\"session.teleport\"}");
        assertEquals("unknown_event", c.next("error").path("error").path("code").asText());
        c.send("not json");
        assertEquals("invalid_json", c.next("error").path("error").path("code").asText());
        c.send(SESSION);
        c.next("session.updated");
        c.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"function_call_output\",\"call_id\":\"call_nope\",\"output\":\"{}\"}}");
        assertTrue(c.next("error").path("error").path("message").asText().contains("call_nope"));
        c.send("{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_nope\",\"content_index\":0,\"audio_end_ms\":10}");
        c.next("error");
        c.send("{\"type\":\"response.cancel\"}");
        c.next("error");
        c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"@@@\"}");
        c.next("error");
        c.ws.sendClose(1000, "done").join();
    }

    @Test
    void vadEndsTheTurnAndTruncatesArePolicedPerItem() throws Exception {
        sim.script(() -> List.of(Reply.speak("A reply of one second.", 1000)));
        Client c = Client.open("sk-test");
        c.send(SESSION);
        c.next("session.updated");
        byte[] speech = Audio.concat(Audio.speechLike(400, 1), Audio.silence(600));
        for (int off = 0; off < speech.length; off += 160) {
            byte[] frame = java.util.Arrays.copyOfRange(speech, off, Math.min(speech.length, off + 160));
            c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + Base64.getEncoder().encodeToString(frame) + "\"}");
        }
        JsonNode started = c.next("input_audio_buffer.speech_started");
        assertTrue(started.path("audio_start_ms").asLong() <= 20);
        JsonNode stopped = c.next("input_audio_buffer.speech_stopped");
        assertTrue(Math.abs(stopped.path("audio_end_ms").asLong() - 400) <= 40, stopped.toString());
        c.next("input_audio_buffer.committed");
        JsonNode item = c.next("response.output_item.added").path("item");
        JsonNode done = c.next("response.done");
        assertEquals("completed", done.path("response").path("status").asText());
        assertTrue(done.path("response").path("usage").path("output_token_details").path("audio_tokens").asLong() > 0);
        String itemId = item.path("id").asText();
        c.send("{\"type\":\"conversation.item.truncate\",\"item_id\":\"" + itemId + "\",\"content_index\":0,\"audio_end_ms\":1500}");
        assertTrue(c.next("error").path("error").path("message").asText().contains("already shorter than 1500ms"));
        c.send("{\"type\":\"conversation.item.truncate\",\"item_id\":\"" + itemId + "\",\"content_index\":0,\"audio_end_ms\":700}");
        assertEquals(700, c.next("conversation.item.truncated").path("audio_end_ms").asLong());
        c.ws.sendClose(1000, "done").join();
        Thread.sleep(100);
        assertTrue(sim.rejected().stream().anyMatch(e -> e.type().equals("conversation.item.truncate")));
    }

    @Test
    void pastItsScriptTheSimulatorSaysTheWordsItIsAskedForInItsVoice() throws Exception {
        sim.script(List::of);
        List<String> said = new CopyOnWriteArrayList<>();
        sim.voice((text, millis, seed) -> {
            said.add(text);
            return Audio.tones(300, -20, 440);
        });
        try {
            Client c = Client.open("sk-test");
            c.send(SESSION);
            c.next("session.updated");
            c.send("{\"type\":\"response.create\",\"response\":{\"instructions\":"
                    + "\"Greet the caller with exactly these words: Thanks for calling the clinic.\"}}");
            JsonNode done = c.next("response.output_audio_transcript.done");
            assertEquals("Thanks for calling the clinic.", done.path("transcript").asText());
            assertEquals(List.of("Thanks for calling the clinic."), said);
            c.ws.sendClose(1000, "done").join();
        } finally {
            sim.voice(Voice.SPEECH_LIKE);
        }
    }
}
