package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;

/** {@code complete_step}: offered in flow steps that the model ends; moves the call to the next step. */
public final class CompleteStepTool implements Tool {

    public static final String NAME = "complete_step";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description(AgentProfile agent) {
        return "Call this when the current step's goal is reached (its instructions say what that is), with the "
                + "outcome as result. The conversation then moves on to the next step.";
    }

    @Override
    public ObjectNode parameters(AgentProfile agent) {
        return ArgumentsSchema.object().string("result", "What the step established, e.g. 'consent given'.").build();
    }

    @Override
    public JsonNode call(JsonNode arguments, ToolContext context) {
        context.controls().completeStep(arguments.path("result").asText(""));
        return JSON.createObjectNode().put("status", "step complete");
    }
}
