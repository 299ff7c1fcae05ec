package dev.switchboard.core.agent;

/**
 * A per-call setup webhook for inbound calls: asked (signed) when a call comes in, it may answer with
 * variables for the instructions and greeting, extra instructions, another agent, or an action.
 *
 * @param http      where it is asked (https, or http on localhost), and its signing secret
 * @param timeoutMs how long the call waits for it (at most 5000); no answer in time: the profile as written
 */
public record SetupSettings(HttpToolTarget http, long timeoutMs) {

    public SetupSettings {
        if (http == null) {
            throw new IllegalArgumentException("setup.http is required");
        }
        timeoutMs = timeoutMs <= 0 ? 1500 : timeoutMs;
        if (timeoutMs > 5000) {
            throw new IllegalArgumentException("setup.timeoutMs must be at most 5000: the caller is ringing, got " + timeoutMs);
        }
    }
}
