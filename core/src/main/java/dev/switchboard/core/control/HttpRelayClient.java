package dev.switchboard.core.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Calls the relay's internal endpoint {@code POST /internal/calls/{callSid}/say}, authenticated with
 * the shared {@code RELAY_INTERNAL_TOKEN}. The relay refuses any request without it.
 */
public final class HttpRelayClient implements RelayClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String internalToken;

    public HttpRelayClient(String internalToken) {
        this.internalToken = internalToken;
    }

    @Override
    public CallActionResult say(String relayAddress, String callSid, String text) {
        CallActionRequest r = new CallActionRequest(callSid, "say", null, text, null);
        if (internalToken.isEmpty()) {
            return CallActionResult.error(r, "RELAY_INTERNAL_TOKEN is not set, so the relay cannot be reached");
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(relayAddress + "/internal/calls/" + callSid + "/say"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + internalToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", text))))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body() == null ? "" : response.body();
            return switch (response.statusCode()) {
                case 200, 202 -> CallActionResult.ok(r, "the agent is saying it");
                case 404 -> CallActionResult.error(r, "the relay at " + relayAddress + " no longer holds this call");
                case 401 -> CallActionResult.error(r, "the relay refused RELAY_INTERNAL_TOKEN");
                default -> CallActionResult.error(r, "the relay answered " + response.statusCode() + ": " + body);
            };
        } catch (Exception e) {
            return CallActionResult.error(r, "the relay at " + relayAddress + " could not be reached: " + e.getMessage());
        }
    }
}
