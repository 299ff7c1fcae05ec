package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What a tool may know about the call that invoked it, and what it may do to it. A tool that cannot
 * answer at once returns null from {@link Tool#call} and hands its result to {@code complete} later,
 * on the call's event loop. {@code callId}: the model's id of this function call; {@code call}: what a
 * tool outside the relay may know of the call (numbers masked); {@code callLoop}: runs work on the
 * call's event loop, for a tool whose answer arrives on another thread.
 */
public record ToolContext(String callSid, AgentProfile agent, Clock clock, CallControls controls, Consumer<JsonNode> complete,
                          String callId, ObjectNode call, Executor callLoop) {
}
