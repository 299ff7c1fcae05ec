package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * The JSON Schema of a tool's arguments, as the Realtime API takes it: an object with the listed
 * properties and no others. Written by hand because the few shapes the tools need (strings,
 * integers, booleans, an enum, a pattern) do not justify a schema-generator dependency.
 */
final class ArgumentsSchema {

    private final ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
    private final ObjectNode properties = schema.putObject("properties");
    private ArrayNode required;

    static ArgumentsSchema object() {
        return new ArgumentsSchema();
    }

    /** A string property; {@code description} may be null. */
    ArgumentsSchema string(String name, String description) {
        return property(name, "string", description);
    }

    ArgumentsSchema integer(String name, String description) {
        return property(name, "integer", description);
    }

    ArgumentsSchema bool(String name, String description) {
        return property(name, "boolean", description);
    }

    /** More constraints on a property already listed (a pattern, an enum). */
    ArgumentsSchema with(String name, Consumer<ObjectNode> constraints) {
        constraints.accept((ObjectNode) properties.get(name));
        return this;
    }

    ArgumentsSchema required(String... names) {
        if (required == null) {
            required = JsonNodeFactory.instance.arrayNode();
        }
        for (String name : names) {
            required.add(name);
        }
        return this;
    }

    ObjectNode build() {
        if (required != null) {
            schema.set("required", required);
        }
        return schema.put("additionalProperties", false);
    }

    private ArgumentsSchema property(String name, String type, String description) {
        ObjectNode p = properties.putObject(name).put("type", type);
        if (description != null) {
            p.put("description", description);
        }
        return this;
    }
}
