package dev.switchboard.core.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Calls the relay's internal endpoints ({@code POST /internal/calls/{callSid}/say} and
 * {@code .../answered-by}), authenticated with
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
        return post(relayAddress, callSid, "say", Map.of("text", text), new CallActionRequest(callSid, "say", null, text, null),
                "the agent is saying it");
    }

    @Override
    public CallActionResult note(String relayAddress, String callSid, String text) {
        return post(relayAddress, callSid, "note", Map.of("text", text), new CallActionRequest(callSid, "note", null, text, null),
                "the agent has the note");
    }

    @Override
    public CallActionResult warmTransferEnded(String relayAddress, String callSid, String target, String result) {
        return post(relayAddress, callSid, "warm-transfer-ended", Map.of("target", target, "result", result),
                new CallActionRequest(callSid, "warm-transfer-ended", target, result, null), "the agent knows");
    }

    @Override
    public CallActionResult answeredBy(String relayAddress, String callSid, String answeredBy) {
        return post(relayAddress, callSid, "answered-by", Map.of("answeredBy", answeredBy),
                new CallActionRequest(callSid, "answered-by", null, answeredBy, null), "the relay has the verdict");
    }

    private CallActionResult post(String relayAddress, String callSid, String route, Map<String, String> body,
                                  CallActionRequest r, String okMessage) {
        if (internalToken.isEmpty()) {
            return CallActionResult.error(r, "RELAY_INTERNAL_TOKEN is not set, so the relay cannot be reached");
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(relayAddress + "/internal/calls/" + callSid + "/" + route))
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + internalToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String answer = response.body() == null ? "" : response.body();
            return switch (response.statusCode()) {
                case 200, 202 -> CallActionResult.ok(r, okMessage);
                case 404 -> CallActionResult.error(r, "the relay at " + relayAddress + " no longer holds this call");
                case 401 -> CallActionResult.error(r, "the relay refused RELAY_INTERNAL_TOKEN");
                default -> CallActionResult.error(r, "the relay answered " + response.statusCode() + ": " + answer);
            };
        } catch (Exception e) {
            return CallActionResult.error(r, "the relay at " + relayAddress + " could not be reached: " + e.getMessage());
        }
    }
}
