package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.agent.AgentProfile;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What a tool may know about the call that invoked it, and what it may do to it. A tool that cannot
 * answer at once returns null from {@link Tool#call} and hands its result to {@code complete} later,
 * on the call's event loop.
 */
public record ToolContext(String callSid, AgentProfile agent, Clock clock, CallControls controls, Consumer<JsonNode> complete) {
}
