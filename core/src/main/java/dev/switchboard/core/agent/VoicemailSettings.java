package dev.switchboard.core.agent;

/**
 * What an agent does when Twilio's answering machine detection says a machine answered a call it
 * placed (requests with {@code machineDetection: true}).
 *
 * @param action  {@code hangup} at once, or {@code message}: wait for the beep, say {@code message}, hang up
 * @param message the words left after the beep
 */
public record VoicemailSettings(String action, String message) {

    public static final VoicemailSettings DEFAULT = new VoicemailSettings("hangup", null);

    public VoicemailSettings {
        action = action == null || action.isBlank() ? "hangup" : action;
        if (!action.equals("hangup") && !action.equals("message")) {
            throw new IllegalArgumentException("voicemail action must be 'hangup' or 'message', got '" + action + "'");
        }
        message = message == null ? "" : message.trim();
        if (action.equals("message") && message.isEmpty()) {
            throw new IllegalArgumentException("voicemail action 'message' needs a message");
        }
    }

    public boolean leavesMessage() {
        return action.equals("message");
    }
}
