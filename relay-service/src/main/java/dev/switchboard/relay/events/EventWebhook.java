package dev.switchboard.relay.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.WebhookSettings;
import dev.switchboard.core.webhook.SwitchboardSignature;
import io.vertx.core.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Posts an agent's call events to its webhook, signed, without ever holding up the call: requests run
 * on the HTTP client's own threads with a short timeout and a few retries (on errors and 5xx only), and
 * an action in the answer is handed back to the call's event loop.
 *
 * <p>Headers: {@code X-Switchboard-Timestamp} (Unix seconds) and {@code X-Switchboard-Signature}
 * ({@code v1=} hex HMAC-SHA256 of {@code timestamp + "." + body} with the agent's webhook secret).
 * Receivers should recompute it, compare in constant time, and refuse timestamps older than 5 minutes.
 */
public final class EventWebhook {

    private static final Logger LOG = Logger.getLogger(EventWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long FIRST_RETRY_MS = 200;

    // HTTP/1.1: the client's h2c upgrade on plain-http receivers is a known source of stalls, and one
    // small POST gains nothing from HTTP/2.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Function<String, Optional<String>> secrets;
    private final Clock clock;

    public EventWebhook(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Sends {@code event} if the agent subscribed to its type. {@code onAction} runs on {@code context}
     * when the answer carries {@code {"action": ...}}.
     */
    public void post(WebhookSettings settings, ObjectNode event, Context context, Consumer<JsonNode> onAction) {
        if (!settings.events().contains(event.path("type").asText())) {
            return;
        }
        Optional<String> secret = secrets.apply(settings.secretVariable());
        if (secret.isEmpty()) {
            LOG.warnf("webhook event %s not sent: %s is not set, and unsigned events are never sent",
                    event.path("type").asText(), settings.secretVariable());
            return;
        }
        String body = event.toString();
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url()))
                .timeout(Duration.ofMillis(settings.timeoutMs()))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Switchboard")
                .header("X-Switchboard-Timestamp", timestamp)
                .header("X-Switchboard-Signature", "v1=" + sign(secret.get(), timestamp + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        attempt(request, settings, 0, event.path("type").asText()).thenAccept(answer -> answer.ifPresent(
                action -> context.runOnContext(v -> onAction.accept(action))));
    }

    private CompletableFuture<Optional<JsonNode>> attempt(HttpRequest request, WebhookSettings settings, int attempt, String type) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            boolean retry = error != null || response.statusCode() >= 500;
            if (!retry) {
                return CompletableFuture.completedFuture(action(response));
            }
            if (attempt >= settings.retries()) {
                LOG.warnf("webhook %s gave up after %d attempt(s): %s", type, attempt + 1,
                        error != null ? rootCause(error) : "HTTP " + response.statusCode());
                return CompletableFuture.completedFuture(Optional.<JsonNode>empty());
            }
            Executor later = CompletableFuture.delayedExecutor(FIRST_RETRY_MS << attempt, TimeUnit.MILLISECONDS);
            return CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(x -> attempt(request, settings, attempt + 1, type));
        }).thenCompose(f -> f);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static Optional<JsonNode> action(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2 || response.body() == null || response.body().isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            return json.hasNonNull("action") ? Optional.of(json) : Optional.empty();
        } catch (Exception notJson) {
            return Optional.empty();
        }
    }

    /** See {@link SwitchboardSignature}: events, tools and setup are signed alike. */
    public static String sign(String secret, String data) {
        return SwitchboardSignature.sign(secret, data);
    }
}
