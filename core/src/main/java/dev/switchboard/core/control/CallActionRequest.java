package dev.switchboard.core.control;

/**
 * An operation on a live call, from anywhere: {@code transfer} (to {@code target}: a name from the
 * agent's transfer directory, or an E.164 number when the agent allows any), {@code hangup},
 * {@code say} ({@code text}, spoken by the agent) or {@code note} ({@code text}, added to the agent's
 * conversation, not spoken). {@code reason} is kept on the record.
 */
public record CallActionRequest(String callSid, String action, String target, String text, String reason) {
}
