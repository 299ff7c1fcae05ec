package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.relay.keypad.DigitSpec;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code collect_digits}: asks the caller for a number (an account, a date of birth, a PIN) by keypad
 * or by voice. The entry is checked (length, pattern) before the model hears of it; a wrong one comes
 * back as a note the model acts on, up to {@code retries} times. A {@code secret} value is masked in
 * logs, transcripts, the call record and events, and never reaches the model.
 */
public final class CollectDigitsTool implements Tool {

    public static final String NAME = "collect_digits";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description(AgentProfile agent) {
        return "Collects a number from the caller (keypad or spoken), checked before you hear it. Call it, then ask "
                + "the caller for it in one sentence; the result arrives as a message. Secret values (PINs) are "
                + "checked for you and never shown to you.";
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        return ArgumentsSchema.object()
                .string("name", "What is collected, e.g. 'account number'.")
                .integer("length", "Exact number of digits, if fixed.")
                .integer("minLength", null)
                .integer("maxLength", null)
                .string("terminator", "Key that ends the entry; default #.")
                .integer("timeoutMs", "Silence that ends the entry; default 4000.")
                .string("pattern", "A regular expression the digits must match.")
                .integer("retries", "Attempts after the first; default 2.")
                .bool("confirm", "Read the value back for confirmation.")
                .bool("secret", "A PIN or password: never shown to you.")
                .required("name")
                .build();
    }

    @Override
    public JsonNode call(JsonNode a, ToolContext context) throws ToolException {
        String name = a.path("name").asText("").isBlank() ? "number" : a.path("name").asText();
        int length = a.path("length").asInt(0);
        int min = length > 0 ? length : a.path("minLength").asInt(1);
        int max = length > 0 ? length : a.path("maxLength").asInt(32);
        if (min < 1 || max > 32 || min > max) {
            throw new ToolException("lengths must satisfy 1 <= minLength <= maxLength <= 32");
        }
        String terminator = a.path("terminator").asText("#");
        if (terminator.length() > 1) {
            throw new ToolException("terminator must be one key");
        }
        Optional<Pattern> pattern = Optional.empty();
        if (a.hasNonNull("pattern")) {
            try {
                pattern = Optional.of(Pattern.compile(a.path("pattern").asText()));
            } catch (PatternSyntaxException e) {
                throw new ToolException("pattern is not a valid regular expression: " + e.getDescription());
            }
        }
        boolean secret = a.path("secret").asBoolean(false);
        DigitSpec spec = new DigitSpec(name, min, max, terminator, Math.max(1000, a.path("timeoutMs").asLong(4000)),
                pattern, Math.max(0, Math.min(5, a.path("retries").asInt(2))), a.path("confirm").asBoolean(false) && !secret, secret);
        context.controls().collect(spec);
        return JSON.createObjectNode().put("status", "collecting").put("instruction",
                "Ask the caller for their " + name + " now, by keypad or by voice. Wait for the result message; do not guess it.");
    }
}
