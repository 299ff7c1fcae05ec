package dev.switchboard.core.agent;

/**
 * A number a flow step collects from the caller (keypad or voice), checked before the model hears of
 * it: the same options as the {@code collect_digits} tool.
 */
public record CollectSettings(String name, int length, int minLength, int maxLength, String terminator, long timeoutMs,
                              String pattern, int retries, boolean confirm, boolean secret) {

    public CollectSettings {
        name = name == null || name.isBlank() ? "number" : name;
        terminator = terminator == null ? "#" : terminator;
        timeoutMs = timeoutMs <= 0 ? 4000 : timeoutMs;
        retries = retries <= 0 ? 2 : Math.min(retries, 5);
    }
}
