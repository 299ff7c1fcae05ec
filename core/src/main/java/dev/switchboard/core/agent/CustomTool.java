package dev.switchboard.core.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A tool a team brings in its agent profile: what the model reads (name, description, JSON Schema of
 * the arguments) and where it runs ({@code http}: the team's server; {@code lambda}: a function). The relay runs it without blocking the call: after
 * {@code fillerAfterMs} without an answer the agent says {@code filler}; after {@code timeoutMs} the
 * model is told the tool did not answer.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record CustomTool(String name, String description, JsonNode parameters, HttpToolTarget http, LambdaToolTarget lambda,
                         String filler,
                         long fillerAfterMs, long timeoutMs) {

    /** Names the relay's own tools use: a profile cannot shadow them. */
    public static final Set<String> RESERVED = Set.of("get_current_time", "end_call", "transfer_call", "send_dtmf",
            "collect_digits", "complete_step", "wait_on_hold", "continue_hold");

    public CustomTool {
        if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("customTools: name must be 1-64 letters, digits, _ or -, got '" + name + "'");
        }
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("customTools." + name + ": the name is a built-in tool's");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("customTools." + name + ".description is required: it is what the model reads");
        }
        if (parameters == null || parameters.isNull()) {
            ObjectNode empty = JsonNodeFactory.instance.objectNode().put("type", "object");
            empty.putObject("properties");
            parameters = empty;
        }
        if (!parameters.isObject() || !"object".equals(parameters.path("type").asText())
                || (parameters.has("properties") && !parameters.path("properties").isObject())) {
            throw new IllegalArgumentException("customTools." + name + ".parameters must be a JSON Schema of type object");
        }
        if ((http == null) == (lambda == null)) {
            throw new IllegalArgumentException("customTools." + name + ": say where it runs, either http or lambda");
        }
        filler = filler == null || filler.isBlank() ? "One moment while I check that." : filler.trim();
        fillerAfterMs = fillerAfterMs <= 0 ? 1500 : fillerAfterMs;
        timeoutMs = timeoutMs <= 0 ? 5000 : timeoutMs;
        if (timeoutMs > 30_000) {
            throw new IllegalArgumentException("customTools." + name + ".timeoutMs must be at most 30000, got " + timeoutMs);
        }
    }
}
