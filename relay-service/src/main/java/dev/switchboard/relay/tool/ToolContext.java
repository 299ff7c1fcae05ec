package dev.switchboard.relay.tool;

import dev.switchboard.core.agent.AgentProfile;
import java.time.Clock;

/** What a tool may know about the call that invoked it, and what it may do to it. */
public record ToolContext(String callSid, AgentProfile agent, Clock clock, CallControls controls) {
}
