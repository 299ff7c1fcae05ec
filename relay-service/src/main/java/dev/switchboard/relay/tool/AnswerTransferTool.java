package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;

/**
 * {@code answer_transfer}: on the briefing call of a warm transfer (and only there), the person's answer.
 * Yes joins them with the waiting caller once the agent's next words have played; no ends the briefing
 * call, and the caller's agent is told why.
 */
public final class AnswerTransferTool implements Tool {

    public static final String NAME = "answer_transfer";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description(AgentProfile agent) {
        return "Records whether the person you briefed takes the waiting caller. Call it once they have answered.";
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        return ArgumentsSchema.object().bool("accepted", "True if they take the call now, false if they decline or cannot.")
                .string("reason", "Why they cannot take it, in their words (when they decline).")
                .required("accepted").build();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) throws ToolException {
        if (!arguments.path("accepted").isBoolean()) {
            throw new ToolException("accepted must be true or false");
        }
        boolean accepted = arguments.path("accepted").asBoolean();
        context.controls().answerTransfer(accepted, arguments.path("reason").asText(""));
        return JSON.createObjectNode().put("status", accepted ? "connecting" : "declined")
                .put("instruction", accepted ? "Say in one short sentence that you are connecting them now."
                        : "Thank them in one short sentence and say goodbye.");
    }
}
