package dev.switchboard.core.agent;

/**
 * How an agent collects keypad input. Keys are gathered into one entry that ends on the terminator,
 * at {@code maxDigits}, or after {@code interDigitTimeoutMs} without a key (counted only while neither
 * the agent nor the caller is talking); then the model gets one message and one response.
 *
 * @param terminator          the key that ends an entry (not part of it); empty for none
 * @param maxDigits           an entry ends when it reaches this length; 0 for no limit
 * @param interDigitTimeoutMs silence after the last key that ends an entry
 * @param star                {@code clear} (erase the entry so far) or {@code digit} (a key like any other)
 * @param inbandDetection     also listen for keypad tones in the caller's audio (for legs that send keys
 *                            in-band; Twilio's own inbound legs strip them and send events instead)
 */
public record KeypadSettings(String terminator, int maxDigits, long interDigitTimeoutMs, String star, boolean inbandDetection) {

    public static final KeypadSettings DEFAULT = new KeypadSettings("#", 0, 2000, "clear", false);

    public KeypadSettings {
        terminator = terminator == null ? "#" : terminator;
        if (terminator.length() > 1 || (!terminator.isEmpty() && !"0123456789*#ABCD".contains(terminator))) {
            throw new IllegalArgumentException("keypad terminator must be one key, got '" + terminator + "'");
        }
        if (maxDigits < 0 || maxDigits > 64) {
            throw new IllegalArgumentException("keypad maxDigits must be 0 to 64");
        }
        interDigitTimeoutMs = interDigitTimeoutMs <= 0 ? 2000 : Math.min(interDigitTimeoutMs, 30_000);
        star = star == null ? "clear" : star;
        if (!star.equals("clear") && !star.equals("digit")) {
            throw new IllegalArgumentException("keypad star must be 'clear' or 'digit'");
        }
    }
}
