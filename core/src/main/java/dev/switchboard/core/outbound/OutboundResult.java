package dev.switchboard.core.outbound;

/** The placed call's CallSid, or why the call was not placed. */
public record OutboundResult(boolean ok, String callSid, String message) {
}
