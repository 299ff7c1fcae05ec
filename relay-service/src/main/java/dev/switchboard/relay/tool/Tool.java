package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;

/** A function the model may call during a call. Implementations must not block: they run on the call's event loop. */
public interface Tool {

    String name();

    /** What the model reads to decide when to call it. */
    String description(AgentProfile agent);

    /** JSON Schema of the arguments, for this agent (a transfer directory lists its own targets). */
    ObjectNode parameters(AgentProfile agent);

    /** Runs the call; the result is sent to the model as JSON. Throw {@link ToolException} for an error the model should see. */
    JsonNode call(JsonNode arguments, ToolContext context) throws ToolException;
}
