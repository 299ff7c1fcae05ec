package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;

/** {@code end_call}: the agent says goodbye; once the goodbye has played, the call is hung up for real. */
public final class EndCallTool implements Tool {

    public static final String NAME = "end_call";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description(AgentProfile agent) {
        return "Ends the phone call. Call it when the conversation is over, then say a short goodbye: "
                + "the line is hung up as soon as your goodbye has been heard.";
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        return ArgumentsSchema.object().string("reason", "Why the call is ending, for the call record.").build();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) {
        String reason = arguments.path("reason").asText("");
        context.controls().hangUpAfterSpeaking(reason.isBlank() ? "the agent ended the call" : reason);
        return JSON.createObjectNode().put("status", "ending").put("instruction", "Say a brief goodbye now.");
    }
}
