package dev.switchboard.relay.customtool;

import dev.switchboard.core.agent.HttpToolTarget;
import dev.switchboard.relay.events.EventWebhook;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Posts tool calls to the teams' tool servers: signed like the event webhook ({@code X-Switchboard-Timestamp},
 * {@code X-Switchboard-Signature}), with the headers a profile names filled from the environment, a
 * timeout, and a bounded number of retries after connection errors only (a server that answered, even
 * with an error, may have acted: it is not asked twice). Never blocks the caller's thread.
 */
public final class ToolServers {

    /** Answers larger than this are refused: a tool result goes into the model's context. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** What a tool server answered; {@code problem} says, for the model, why there is no usable answer. */
    public record Answer(int status, String body, String problem) {
        static Answer failed(String problem) {
            return new Answer(0, "", problem);
        }
    }

    // HTTP/1.1: one small POST gains nothing from HTTP/2, and the h2c upgrade stalls some plain-http servers
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Function<String, Optional<String>> secrets;
    private final Clock clock;

    public ToolServers(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /** The environment variables a target needs that are not set (checked at start). */
    public java.util.List<String> missingVariables(HttpToolTarget target) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (secrets.apply(target.secretVariable()).isEmpty()) {
            missing.add("http.secretVariable " + target.secretVariable());
        }
        target.headers().forEach((header, variable) -> {
            if (secrets.apply(variable).isEmpty()) {
                missing.add("http.headers." + header + " " + variable);
            }
        });
        return missing;
    }

    public CompletableFuture<Answer> post(HttpToolTarget target, String body, Duration timeout) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Switchboard-Timestamp", timestamp)
                .header("X-Switchboard-Signature", "v1=" + EventWebhook.sign(
                        secrets.apply(target.secretVariable()).orElse(""), timestamp + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        target.headers().forEach((header, variable) -> secrets.apply(variable).ifPresent(v -> request.header(header, v)));
        return attempt(request.build(), target.retries())
                .orTimeout(timeout.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> Answer.failed(describe(e)));
    }

    private CompletableFuture<Answer> attempt(HttpRequest request, int retriesLeft) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> r.body().length > MAX_ANSWER_BYTES
                        ? new Answer(r.statusCode(), "", "the answer was larger than " + MAX_ANSWER_BYTES + " bytes")
                        : new Answer(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), null))
                .handle((answer, error) -> {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause == null) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    if (retriesLeft > 0 && (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException)) {
                        return attempt(request, retriesLeft - 1);
                    }
                    return CompletableFuture.<Answer>failedFuture(cause);
                })
                .thenCompose(f -> f);
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            return "it did not answer in time";
        }
        if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
            return "it could not be reached";
        }
        return cause instanceof IOException ? "the connection failed" : "it failed";
    }
}
