package dev.switchboard.core.outbound;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A call for an agent to place: {@code to} and {@code from} (E.164; {@code from} must be a Twilio
 * number of the account), the {@code agent} profile, and optionally the task for this call
 * ({@code instructions}, and {@code context}: any JSON the agent should know), and whether Twilio should
 * detect answering machines.
 */
public record OutboundRequest(String to, String from, String agent, String instructions, JsonNode context,
                              Boolean machineDetection) {
}
