package dev.switchboard.relay.customtool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.turn.ConversationLog;
import org.jboss.logging.Logger;

/**
 * What the Realtime API did with the agent's MCP servers on one call: the calls it made (kept in the
 * conversation, the call's transcript and its events) and the servers it could not list (logged and
 * sent as an event, since the model then lacks those tools). The relay takes no part in the calls.
 */
public final class McpActivity {

    private static final Logger LOG = Logger.getLogger(McpActivity.class);
    static final int MAX_SHOWN = 500;

    private final String callSid;
    private final CallRecorder recorder;
    private final ConversationLog conversation;
    private final CallEvents events;

    public McpActivity(String callSid, CallRecorder recorder, ConversationLog conversation, CallEvents events) {
        this.callSid = callSid;
        this.recorder = recorder;
        this.conversation = conversation;
        this.events = events;
    }

    /** {@code mcp_list_tools.failed}: a server's tools could not be listed. */
    public void listFailed(JsonNode e) {
        LOG.warnf("call %s: the Realtime API could not list the tools of an MCP server (item %s)", callSid,
                e.path("item_id").asText(""));
        events.emit("mcp_failed", CallEvents.fields().put("item_id", e.path("item_id").asText("")));
    }

    /** {@code response.output_item.done}: an {@code mcp_call} item is what a server was asked and answered. */
    public void itemDone(JsonNode item) {
        if (!"mcp_call".equals(item.path("type").asText())) {
            return;
        }
        String tool = item.path("server_label").asText("") + "." + item.path("name").asText("");
        boolean failed = item.hasNonNull("error") && !item.path("error").isMissingNode()
                && !(item.path("error").isTextual() && item.path("error").asText().isEmpty());
        String result = failed ? "failed: " + item.path("error") : "returned " + item.path("output").asText("");
        conversation.add("system", "You called " + tool + " " + item.path("arguments").asText("{}") + "; it " + result);
        recorder.transcript(callSid, "tool", clip(tool + " " + result));
        events.emit("mcp_call", CallEvents.fields().put("tool", tool).put("ok", !failed));
        if (failed) {
            LOG.warnf("call %s: MCP tool %s failed", callSid, tool);
        }
    }

    private static String clip(String text) {
        return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
    }
}
