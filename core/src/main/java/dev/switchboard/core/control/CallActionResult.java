package dev.switchboard.core.control;

/** What happened: {@code ok}, and a sentence saying what was done or why it was not. */
public record CallActionResult(boolean ok, String callSid, String action, String message) {

    public static CallActionResult ok(CallActionRequest r, String message) {
        return new CallActionResult(true, r.callSid(), r.action(), message);
    }

    public static CallActionResult error(CallActionRequest r, String message) {
        return new CallActionResult(false, r == null ? null : r.callSid(), r == null ? null : r.action(), message);
    }
}
