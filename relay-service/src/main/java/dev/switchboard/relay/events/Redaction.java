package dev.switchboard.relay.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a tool's arguments and results may show in an event: values under names that say secret (PIN,
 * password, card, code, token...) are masked, at any depth, and the whole is cut to a readable size.
 * Keys sent with {@code send_dtmf} ({@code digits}) are masked too: they are often a PIN for another system.
 */
public final class Redaction {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET = Pattern.compile("(?i).*(pin|pass|secret|token|card|cvv|cvc|ssn|social|code|otp|key|iban|account|digits).*");
    static final int MAX_CHARS = 1000;

    private Redaction() {
    }

    /** {@code text} as JSON with secret-named values masked, or (not JSON) cut to size. */
    public static JsonNode of(String text) {
        if (text == null || text.isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(text);
            mask(node);
            String shown = node.toString();
            return shown.length() <= MAX_CHARS ? node : TextNode.valueOf(shown.substring(0, MAX_CHARS) + "...");
        } catch (Exception notJson) {
            return TextNode.valueOf(text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...");
        }
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (SECRET.matcher(field.getKey()).matches() && !field.getValue().isContainerNode()) {
                    field.setValue(TextNode.valueOf("****"));
                } else {
                    mask(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(Redaction::mask);
        }
    }
}
