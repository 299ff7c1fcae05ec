package dev.switchboard.simulator.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The simulator's side of MCP tools in a Realtime session: the {@code mcp} tool shape it accepts (as
 * the service documents it: {@code server_label}, one of {@code server_url} or {@code connector_id},
 * optional {@code authorization}, {@code headers}, {@code allowed_tools}, {@code require_approval},
 * {@code server_description}; anything else is refused), and the events of one MCP call.
 */
final class McpTools {

    static final Set<String> FIELDS = Set.of("type", "server_label", "server_url", "connector_id", "authorization", "headers",
            "allowed_tools", "require_approval", "server_description");

    private McpTools() {
    }

    /** Why the session's tools are not acceptable, or null. */
    static String problem(JsonNode tools) {
        for (JsonNode tool : tools) {
            if (!"mcp".equals(tool.path("type").asText())) {
                continue;
            }
            for (var names = tool.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    return "Unknown parameter: 'session.tools[].mcp." + name + "'.";
                }
            }
            if (!tool.path("server_label").asText("").matches("[a-zA-Z0-9_-]{1,64}")) {
                return "Invalid 'server_label' for an mcp tool.";
            }
            boolean url = tool.path("server_url").asText("").startsWith("https://");
            if (url == tool.has("connector_id")) {
                return "An mcp tool needs exactly one of 'server_url' (https) or 'connector_id'.";
            }
            if (tool.has("headers") && !tool.path("headers").isObject()) {
                return "Invalid 'headers' for an mcp tool: expected an object.";
            }
            if (tool.has("allowed_tools") && !tool.path("allowed_tools").isArray()) {
                return "Invalid 'allowed_tools' for an mcp tool: expected an array.";
            }
        }
        return null;
    }

    /** Sends the events of one MCP call in a response; returns its completed {@code mcp_call} item. */
    static ObjectNode call(Consumer<ObjectNode> send, Function<String, ObjectNode> event, String responseId, String itemId,
                           Reply reply) {
        ObjectNode item = JsonNodeFactory.instance.objectNode().put("id", itemId).put("type", "mcp_call")
                .put("server_label", reply.text()).put("name", reply.functionName()).put("arguments", "");
        send.accept((ObjectNode) event.apply("response.output_item.added").put("response_id", responseId).put("output_index", 0)
                .set("item", item.deepCopy()));
        send.accept(event.apply("response.mcp_call_arguments.done").put("response_id", responseId).put("item_id", itemId)
                .put("output_index", 0).put("arguments", reply.argumentsJson()));
        send.accept(event.apply("response.mcp_call.in_progress").put("item_id", itemId).put("output_index", 0));
        send.accept(event.apply("response.mcp_call.completed").put("item_id", itemId).put("output_index", 0));
        item.put("arguments", reply.argumentsJson()).put("output", reply.alongside().text());
        item.putNull("error");
        send.accept((ObjectNode) event.apply("response.output_item.done").put("response_id", responseId).put("output_index", 0)
                .set("item", item.deepCopy()));
        return item;
    }
}
