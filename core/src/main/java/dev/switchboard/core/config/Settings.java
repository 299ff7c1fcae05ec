package dev.switchboard.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything Switchboard reads from its environment, under the same names in every runtime
 * (Lambda reads the process environment, the relay reads Quarkus configuration which maps the
 * same names). Secrets are never part of {@link #toString()}.
 */
public record Settings(
        String openAiApiKey,
        URI openAiRealtimeUrl,
        String twilioAccountSid,
        String twilioAuthToken,
        URI twilioApiBaseUrl,
        URI publicBaseUrl,
        URI relayPublicUrl,
        String callsTable,
        Optional<URI> dynamoDbEndpoint,
        Optional<String> agentsDir,
        Duration streamTokenTtl,
        Duration recordRetention) {

    public static final String DEFAULT_REALTIME_URL = "wss://api.openai.com/v1/realtime?model=gpt-realtime";
    public static final String DEFAULT_TWILIO_API = "https://api.twilio.com";
    public static final String DEFAULT_TABLE = "switchboard-calls";

    /** Reads settings through any lookup of the design's variable names (environment, config). */
    public static Settings from(Function<String, Optional<String>> lookup) {
        Function<String, Optional<String>> get = name -> lookup.apply(name).map(String::trim).filter(v -> !v.isEmpty());
        return new Settings(
                get.apply("OPENAI_API_KEY").orElse(""),
                URI.create(get.apply("OPENAI_REALTIME_URL").orElse(DEFAULT_REALTIME_URL)),
                get.apply("TWILIO_ACCOUNT_SID").orElse(""),
                get.apply("TWILIO_AUTH_TOKEN").orElse(""),
                URI.create(get.apply("TWILIO_API_BASE_URL").orElse(DEFAULT_TWILIO_API)),
                URI.create(stripSlash(get.apply("PUBLIC_BASE_URL").orElse("http://localhost:8080"))),
                URI.create(get.apply("RELAY_PUBLIC_URL").orElse("ws://localhost:8080/media-stream")),
                get.apply("CALLS_TABLE").orElse(DEFAULT_TABLE),
                get.apply("DYNAMODB_ENDPOINT").map(URI::create),
                get.apply("AGENTS_DIR"),
                get.apply("STREAM_TOKEN_TTL_SECONDS").map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(Duration.ofMinutes(5)),
                get.apply("CALL_RECORD_RETENTION_DAYS").map(s -> Duration.ofDays(Long.parseLong(s))).orElse(Duration.ofDays(30)));
    }

    public static Settings fromEnvironment() {
        Map<String, String> env = System.getenv();
        return from(name -> Optional.ofNullable(env.get(name)));
    }

    public Settings withOpenAi(URI realtimeUrl, String apiKey) {
        return new Settings(apiKey, realtimeUrl, twilioAccountSid, twilioAuthToken, twilioApiBaseUrl, publicBaseUrl,
                relayPublicUrl, callsTable, dynamoDbEndpoint, agentsDir, streamTokenTtl, recordRetention);
    }

    public Settings withTwilio(URI apiBaseUrl, String accountSid, String authToken) {
        return new Settings(openAiApiKey, openAiRealtimeUrl, accountSid, authToken, apiBaseUrl, publicBaseUrl,
                relayPublicUrl, callsTable, dynamoDbEndpoint, agentsDir, streamTokenTtl, recordRetention);
    }

    public Settings withDynamoDbEndpoint(URI endpoint) {
        return new Settings(openAiApiKey, openAiRealtimeUrl, twilioAccountSid, twilioAuthToken, twilioApiBaseUrl,
                publicBaseUrl, relayPublicUrl, callsTable, Optional.of(endpoint), agentsDir, streamTokenTtl, recordRetention);
    }

    public Settings withPublicUrls(URI publicBase, URI relayPublic) {
        return new Settings(openAiApiKey, openAiRealtimeUrl, twilioAccountSid, twilioAuthToken, twilioApiBaseUrl,
                URI.create(stripSlash(publicBase.toString())), relayPublic, callsTable, dynamoDbEndpoint, agentsDir,
                streamTokenTtl, recordRetention);
    }

    /** Azure OpenAI authenticates the Realtime socket with an {@code api-key} header, OpenAI with a bearer token. */
    public boolean realtimeUsesApiKeyHeader() {
        String host = openAiRealtimeUrl.getHost();
        return host != null && (host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com"));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "Settings[openAiRealtimeUrl=" + openAiRealtimeUrl
                + ", openAiApiKey=" + (openAiApiKey.isEmpty() ? "<unset>" : "<set>")
                + ", twilioAccountSid=" + twilioAccountSid
                + ", twilioAuthToken=" + (twilioAuthToken.isEmpty() ? "<unset>" : "<set>")
                + ", twilioApiBaseUrl=" + twilioApiBaseUrl + ", publicBaseUrl=" + publicBaseUrl
                + ", relayPublicUrl=" + relayPublicUrl + ", callsTable=" + callsTable
                + ", dynamoDbEndpoint=" + dynamoDbEndpoint.map(URI::toString).orElse("<aws>")
                + ", agentsDir=" + agentsDir.orElse("<built-in>") + "]";
    }
}
