package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs the model's function calls against the tools in force on a call. Whatever happens (no such
 * tool, arguments that are not JSON, a tool's refusal, a tool's bug) the model gets one output to
 * read, as JSON: a failure never reaches the media path.
 */
public final class ToolCalls {

    private static final Logger LOG = Logger.getLogger(ToolCalls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolCalls() {
    }

    /** The output for the model, or null when the tool answers later through its context. */
    public static String run(Map<String, Tool> tools, String name, String rawArguments, ToolContext context) {
        Tool tool = tools.get(name);
        if (tool == null) {
            return errorJson("no tool named '" + name + "' is available on this call");
        }
        try {
            JsonNode args = rawArguments.isBlank() ? JSON.createObjectNode() : JSON.readTree(rawArguments);
            JsonNode result = tool.call(args, context);
            return result == null ? null : JSON.writeValueAsString(result);
        } catch (ToolException e) {
            return errorJson(e.getMessage());
        } catch (Exception e) {
            LOG.warnf("call %s: tool %s failed: %s", context.callSid(), name, e.toString());
            return errorJson("the tool failed; tell the caller you could not do it");
        }
    }

    private static String errorJson(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }
}
