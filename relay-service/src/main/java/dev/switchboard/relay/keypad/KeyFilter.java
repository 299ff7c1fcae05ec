package dev.switchboard.relay.keypad;

/**
 * Decides which reported keys are presses of their own. A key can arrive twice: as Twilio's
 * {@code dtmf} event and as a tone heard in the audio; within {@link #SAME_KEY_WINDOW_NANOS} that is
 * one press. And a terminator pressed just after an entry that ended at its maximum length belongs to
 * that entry, not to the next one.
 */
public final class KeyFilter {

    /** Where a key came from: Twilio's {@code dtmf} event, or a tone found in the audio. */
    public enum Source { EVENT, TONE }

    /** A key seen both ways within this window is one key. */
    public static final long SAME_KEY_WINDOW_NANOS = 300_000_000L;
    /** How long after a complete entry its terminator is still taken as part of it. */
    public static final long SWALLOW_TERMINATOR_NANOS = 2_000_000_000L;

    private char lastKey;
    private Source lastSource;
    private long lastNanos;
    private char swallowKey;
    private long swallowUntilNanos;

    /** True if {@code key}, reported at {@code nowNanos}, is a press the keypad should see. */
    public boolean accept(char key, Source source, long nowNanos) {
        if (key == lastKey && lastSource != null && source != lastSource && nowNanos - lastNanos < SAME_KEY_WINDOW_NANOS) {
            return false; // the same press, reported as an event and heard as a tone
        }
        lastKey = key;
        lastSource = source;
        lastNanos = nowNanos;
        if (key == swallowKey && nowNanos < swallowUntilNanos) {
            swallowKey = 0; // the # after an entry that was already complete at its length
            return false;
        }
        return true;
    }

    /** An entry just ended at its maximum length: a {@code terminator} right after it is part of it. */
    public void swallowNext(String terminator, long nowNanos) {
        if (terminator.length() == 1) {
            swallowKey = terminator.charAt(0);
            swallowUntilNanos = nowNanos + SWALLOW_TERMINATOR_NANOS;
        }
    }
}
