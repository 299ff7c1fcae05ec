package dev.switchboard.relay.customtool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.HttpToolTarget;
import dev.switchboard.core.agent.LambdaToolTarget;
import dev.switchboard.core.agent.McpServer;
import dev.switchboard.relay.events.EventWebhook;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Runs tool calls on the teams' tool servers and Lambda functions. A tool server gets a POST signed
 * like the event webhook ({@code X-Switchboard-Timestamp}, {@code X-Switchboard-Signature}), with the headers a profile names filled from the environment, a
 * timeout, and a bounded number of retries after connection errors only (a server that answered, even
 * with an error, may have acted: it is not asked twice). Never blocks the caller's thread.
 */
public final class ToolServers {

    /** Answers larger than this are refused: a tool result goes into the model's context. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** What a tool server answered; {@code problem} says, for the model, why there is no usable answer. */
    public record Answer(int status, String body, String problem, boolean functionError) {
        Answer(int status, String body, String problem) {
            this(status, body, problem, false);
        }

        static Answer failed(String problem) {
            return new Answer(0, "", problem);
        }
    }

    // HTTP/1.1: one small POST gains nothing from HTTP/2, and the h2c upgrade stalls some plain-http servers
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Function<String, Optional<String>> secrets;
    private final Clock clock;
    /** {@code SWITCHBOARD_LAMBDA_ENDPOINT}: another Lambda endpoint (a VPC endpoint, or a stand-in for tests). */
    private final Optional<String> lambdaEndpoint;
    private final AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    /** Signing may fetch credentials (the task role's endpoint): never on an event loop. */
    private final Executor signing = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "switchboard-tool-signing");
        t.setDaemon(true);
        return t;
    });

    public ToolServers(Function<String, Optional<String>> secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
        this.lambdaEndpoint = secrets.apply("SWITCHBOARD_LAMBDA_ENDPOINT").map(e -> e.replaceAll("/+$", ""));
    }

    /**
     * The agent's MCP servers as Realtime {@code mcp} tools, with their headers filled from the
     * environment (the values go to the Realtime API, which calls the servers; never to a log).
     */
    public List<ObjectNode> mcpTools(AgentProfile agent) {
        List<ObjectNode> tools = new ArrayList<>();
        for (McpServer server : agent.mcpServers()) {
            ObjectNode t = JsonNodeFactory.instance.objectNode().put("type", "mcp").put("server_label", server.label())
                    .put("server_url", server.url()).put("require_approval", server.requireApproval());
            if (!server.description().isEmpty()) {
                t.put("server_description", server.description());
            }
            if (!server.allowedTools().isEmpty()) {
                server.allowedTools().forEach(t.putArray("allowed_tools")::add);
            }
            if (!server.headers().isEmpty()) {
                ObjectNode headers = t.putObject("headers");
                server.headers().forEach((header, variable) -> secrets.apply(variable).ifPresent(v -> headers.put(header, v)));
            }
            tools.add(t);
        }
        return tools;
    }

    /** The environment variables an MCP server's headers need that are not set. */
    public List<String> missingVariables(McpServer server) {
        List<String> missing = new ArrayList<>();
        server.headers().forEach((header, variable) -> {
            if (secrets.apply(variable).isEmpty()) {
                missing.add("headers." + header + " " + variable);
            }
        });
        return missing;
    }

    /** The environment variables a target needs that are not set (checked at start). */
    public List<String> missingVariables(HttpToolTarget target) {
        List<String> missing = new ArrayList<>();
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

    /**
     * Invokes a Lambda function with the tool call as its event (Lambda's Invoke API, request-response).
     * Signed with SigV4 by the SDK's signer; written over the JDK's HTTP client because the Lambda
     * client module is not available at the SDK version this project pins. Credentials and region
     * come from the SDK's default chains (on ECS: the task role), resolved off the event loop.
     */
    public CompletableFuture<Answer> invoke(LambdaToolTarget target, String body, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> signedInvoke(target, body, timeout), signing)
                .thenCompose(request -> attempt(request, 0))
                .thenApply(ToolServers::lambdaAnswer)
                .orTimeout(timeout.toMillis() + 500, java.util.concurrent.TimeUnit.MILLISECONDS)
                .exceptionally(e -> Answer.failed(describe(e)));
    }

    private HttpRequest signedInvoke(LambdaToolTarget target, String body, Duration timeout) {
        String region = target.function().startsWith("arn:") ? target.function().split(":")[3]
                : DefaultAwsRegionProviderChain.builder().build().getRegion().id();
        String base = lambdaEndpoint.orElse("https://lambda." + region + ".amazonaws.com");
        URI uri = URI.create(base + "/2015-03-31/functions/" + URLEncoder.encode(target.function(), StandardCharsets.UTF_8)
                + "/invocations");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return request.build();
    }

    /** Lambda answers 200 with the function's own answer, or names a function error in a header. */
    private static Answer lambdaAnswer(Answer a) {
        if (a.problem() != null || a.status() != 200) {
            return a;
        }
        return a.functionError() ? Answer.failed("the function failed") : a;
    }

    private CompletableFuture<Answer> attempt(HttpRequest request, int retriesLeft) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> r.body().length > MAX_ANSWER_BYTES
                        ? new Answer(r.statusCode(), "", "the answer was larger than " + MAX_ANSWER_BYTES + " bytes")
                        : new Answer(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), null,
                                r.headers().firstValue("X-Amz-Function-Error").isPresent()))
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
