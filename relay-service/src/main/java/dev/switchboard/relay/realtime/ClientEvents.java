package dev.switchboard.relay.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.relay.tool.Tool;
import java.util.Collection;
import java.util.List;

/**
 * The client events the relay sends to the Realtime API (GA protocol). The per-frame
 * {@code input_audio_buffer.append} is built as a string around the caller's base64 payload, which
 * is forwarded untouched; the rest go through Jackson.
 */
public final class ClientEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientEvents() {
    }

    public static String append(String base64Audio) {
        return new StringBuilder(base64Audio.length() + 48)
                .append("{\"type\":\"input_audio_buffer.append\",\"audio\":\"").append(base64Audio).append("\"}").toString();
    }

    /**
     * Mu-law both ways (no transcoding anywhere), server VAD, the agent's voice, instructions and tools;
     * {@code mcpTools}: the agent's MCP servers as {@code mcp} tools, which the Realtime API calls itself.
     */
    public static String sessionUpdate(AgentProfile agent, Collection<Tool> tools, String instructions, List<ObjectNode> mcpTools,
                                       boolean autoRespond) {
        ObjectNode e = JSON.createObjectNode().put("type", "session.update");
        ObjectNode s = e.putObject("session").put("type", "realtime").put("instructions", instructions);
        s.putArray("output_modalities").add("audio");
        ObjectNode audio = s.putObject("audio");
        ObjectNode input = audio.putObject("input");
        input.putObject("format").put("type", "audio/pcmu");
        turnDetection(input, autoRespond);
        if (!agent.transcriptionModel().isBlank()) {
            input.putObject("transcription").put("model", agent.transcriptionModel());
        }
        ObjectNode output = audio.putObject("output");
        output.putObject("format").put("type", "audio/pcmu");
        output.put("voice", agent.voice());
        ArrayNode toolArray = s.putArray("tools");
        for (Tool t : tools) {
            toolArray.addObject().put("type", "function").put("name", t.name()).put("description", t.description(agent))
                    .set("parameters", t.parameters(agent));
        }
        mcpTools.forEach(toolArray::add);
        s.put("tool_choice", tools.isEmpty() && mcpTools.isEmpty() ? "none" : "auto");
        return e.toString();
    }

    /**
     * Server VAD, unchanged whatever else changes: only whether the model answers each turn on its own
     * ({@code create_response}) varies. A session.update replaces {@code turn_detection} whole, so it is
     * always sent whole.
     */
    private static void turnDetection(ObjectNode input, boolean autoRespond) {
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", 500)
                .put("create_response", autoRespond)
                // The relay interrupts the agent itself (clear, truncate at what was heard, cancel): letting the
                // server cancel too would race the relay's cancel and draw an error on every barge-in.
                .put("interrupt_response", false);
    }

    /** Turns the model's own answers to each turn on or off, leaving the rest of the session as it is. */
    public static String turnDetectionUpdate(boolean autoRespond) {
        ObjectNode e = JSON.createObjectNode().put("type", "session.update");
        ObjectNode input = e.putObject("session").put("type", "realtime").putObject("audio").putObject("input");
        turnDetection(input, autoRespond);
        return e.toString();
    }

    /** A message already in the conversation (restoring a saved one): caller text, agent text, or a system note. */
    public static String conversationItem(String role, String text) {
        ObjectNode e = JSON.createObjectNode().put("type", "conversation.item.create");
        ObjectNode item = e.putObject("item").put("type", "message").put("role", role);
        item.putArray("content").addObject().put("type", "assistant".equals(role) ? "output_text" : "input_text").put("text", text);
        return e.toString();
    }

    public static String responseCreate() {
        return "{\"type\":\"response.create\"}";
    }

    /** A response with one-off instructions, e.g. the greeting. */
    public static String responseCreate(String instructions) {
        ObjectNode e = JSON.createObjectNode().put("type", "response.create");
        e.putObject("response").put("instructions", instructions);
        return e.toString();
    }

    public static String responseCancel() {
        return "{\"type\":\"response.cancel\"}";
    }

    public static String truncate(String itemId, long audioEndMs) {
        return JSON.createObjectNode().put("type", "conversation.item.truncate").put("item_id", itemId)
                .put("content_index", 0).put("audio_end_ms", audioEndMs).toString();
    }

    /** {@code output} is already a JSON document as a string: it is set as a string value, encoded once. */
    public static String functionCallOutput(String callId, String output) {
        ObjectNode e = JSON.createObjectNode().put("type", "conversation.item.create");
        e.putObject("item").put("type", "function_call_output").put("call_id", callId).put("output", output);
        return e.toString();
    }
}
