package dev.switchboard.core.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.SetupSettings;
import dev.switchboard.core.webhook.SwitchboardSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * {@link CallSetup} over HTTPS: a signed POST of {@code {"type":"call_setup","call":{...},"at"}}, and
 * the answer read leniently (anything unusable is ignored and logged, and the call goes on as the
 * profile says). Runs on the webhook's own thread (Lambda, or a worker of the local stack).
 */
public final class HttpCallSetup implements CallSetup {

    private static final Logger LOG = Logger.getLogger(HttpCallSetup.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ANSWER_BYTES = 16 * 1024;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final Function<String, Optional<String>> secrets;
    private final Clock clock;

    public HttpCallSetup(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public SetupAnswer ask(AgentProfile agent, Map<String, String> call) {
        SetupSettings setup = agent.setup();
        if (setup == null) {
            return SetupAnswer.NONE;
        }
        Optional<String> secret = secrets.apply(setup.http().secretVariable());
        if (secret.isEmpty()) { // never ask unsigned: the receiver could not tell us from anyone else
            LOG.warnf("setup for agent '%s' skipped: %s is not set; the profile is used as written", agent.name(),
                    setup.http().secretVariable());
            return SetupAnswer.NONE;
        }
        ObjectNode request = JSON.createObjectNode().put("type", "call_setup").put("agent", agent.name());
        ObjectNode c = request.putObject("call");
        call.forEach(c::put);
        request.put("at", clock.instant().toString());
        String body = request.toString();
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(setup.http().url()))
                    .timeout(Duration.ofMillis(setup.timeoutMs()))
                    .header("Content-Type", "application/json")
                    .header("X-Switchboard-Timestamp", timestamp)
                    .header("X-Switchboard-Signature", SwitchboardSignature.header(secret.get(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 || response.body().length > MAX_ANSWER_BYTES) {
                LOG.warnf("setup for agent '%s' answered %d (%d bytes); the profile is used as written", agent.name(),
                        response.statusCode(), response.body().length);
                return SetupAnswer.NONE;
            }
            return read(JSON.readTree(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SetupAnswer.NONE;
        } catch (Exception e) {
            LOG.warnf("setup for agent '%s' gave no usable answer in time (%s); the profile is used as written",
                    agent.name(), e.getClass().getSimpleName());
            return SetupAnswer.NONE;
        }
    }

    static SetupAnswer read(JsonNode answer) {
        Map<String, String> variables = new LinkedHashMap<>();
        answer.path("variables").fields().forEachRemaining(f -> {
            if (f.getKey().matches("[A-Za-z0-9_]{1,64}") && f.getValue().isValueNode()) {
                variables.put(f.getKey(), f.getValue().asText());
            }
        });
        JsonNode action = answer.path("action");
        Optional<SetupAnswer.Action> act = action.isObject() && !action.path("type").asText("").isEmpty()
                ? Optional.of(new SetupAnswer.Action(action.path("type").asText(), action.path("target").asText(""),
                action.path("text").asText(""))) : Optional.empty();
        return new SetupAnswer(Map.copyOf(variables), answer.path("instructions").asText(""),
                Optional.ofNullable(answer.path("agent").textValue()).filter(a -> !a.isBlank()), act);
    }
}
