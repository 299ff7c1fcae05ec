package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run} as a person uses it, from outside the process: a call placed with
 * {@code POST /calls/outbound} is answered by the simulated callee (no longer queued forever), the
 * agent talks with it, the console's socket shows its events, a hang-up sent on that socket ends it,
 * and the end-of-call report arrives.
 */
class LocalOutboundIT {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A console client on {@code /console/live}. */
    static final class Console implements WebSocket.Listener {
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        JsonNode await(Predicate<JsonNode> what, Duration timeout, String description) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonNode m : received) {
                    if (what.test(m)) {
                        return m;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no " + description + " in " + received);
        }
    }

    @Test
    void anOutboundCallIsAnsweredWatchedAndHungUpFromTheConsole(@TempDir Path dir) throws Exception {
        int port = RelayLossIT.freePort();
        Map<String, String> env = Map.of("PUBLIC_BASE_URL", "http://127.0.0.1:" + port,
                "RELAY_PUBLIC_URL", "ws://127.0.0.1:" + port + "/media-stream");
        try (LocalRunIT.Run run = LocalRunIT.start(dir, env, port)) {
            assertNotNull(run.await(LocalRunIT.LISTENING, Duration.ofSeconds(60)), "did not start:\n" + run.printed());
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            Console console = new Console();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/console/live?token="
                    + LocalStack.LOCAL_INTERNAL_TOKEN), console).get(10, TimeUnit.SECONDS);
            console.await(m -> m.path("type").asText().equals("console_ready"), Duration.ofSeconds(5), "console_ready");

            HttpResponse<String> placed = http.send(HttpRequest.newBuilder(base.resolve("/calls/outbound"))
                    .header("Authorization", "Bearer " + LocalStack.LOCAL_INTERNAL_TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"+15550104444\",\"from\":\"+15559870000\","
                            + "\"agent\":\"billing-follow-up\",\"instructions\":\"Ask why invoice 881 was charged twice.\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, placed.statusCode(), placed.body());
            String callSid = JSON.readTree(placed.body()).path("callSid").asText();

            console.await(m -> m.path("type").asText().equals("session_start") && callSid.equals(m.path("session").path("id").asText()),
                    Duration.ofSeconds(20), "the call's start: the simulated callee answered");
            // the callee says hello; the agent (the simulator, past its script) answers it
            console.await(m -> m.path("type").asText().equals("transcript") && m.path("role").asText().equals("agent")
                    && callSid.equals(m.path("session").path("id").asText()), Duration.ofSeconds(20), "the agent's answer");

            socket.sendText("{\"action\":\"hangup\",\"callSid\":\"" + callSid + "\",\"reason\":\"done from the console\"}", true)
                    .get(5, TimeUnit.SECONDS);
            JsonNode result = console.await(m -> m.path("type").asText().equals("command_result"), Duration.ofSeconds(10), "the result");
            assertTrue(result.path("ok").asBoolean(), result.toString());
            JsonNode report = console.await(m -> m.path("type").asText().equals("call_report")
                    && callSid.equals(m.path("session").path("id").asText()), Duration.ofSeconds(20), "the end-of-call report");
            assertEquals("hung_up", report.path("outcome").asText(), report.toString());
            assertEquals("********4444", report.path("session").path("to_phone_number").asText(), "numbers are masked");
            JsonNode cost = report.path("cost");
            assertTrue(cost.path("billed_minutes").asLong() >= 1 && cost.path("telephony_usd").asDouble() > 0, report.toString());
            assertTrue(cost.path("model_usd").asDouble() > 0, "the agent spoke, so the model cost something: " + report);
            assertEquals(cost.path("model_usd").asDouble() + cost.path("telephony_usd").asDouble(), cost.path("total_usd").asDouble(), 1e-5);
            assertTrue(run.await(Pattern.compile("the simulated callee's call is over"), Duration.ofSeconds(10)) != null,
                    "the callee left:\n" + run.printed());
            socket.abort();
            run.stop();
        }
    }
}
