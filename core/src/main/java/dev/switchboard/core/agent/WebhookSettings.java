package dev.switchboard.core.agent;

import java.util.List;

/**
 * Where an agent's call events go: {@code url} receives signed JSON POSTs ({@code session_start},
 * {@code dtmf_received}, {@code digits_collected}, {@code session_end}); its answer may carry an
 * action ({@code speak}, {@code transfer}, {@code hangup}). {@code secret_collected} is the only place a
 * secret value collected by {@code collect_digits} (a PIN) goes: to the business's own endpoint, signed. The signing key is read from the environment
 * variable named by {@code secretVariable} (or its {@code _SECRET_ARN}), never from the profile file.
 */
public record WebhookSettings(String url, String secretVariable, long timeoutMs, int retries, List<String> events) {

    public static final List<String> ALL = List.of("session_start", "dtmf_received", "digits_collected", "secret_collected",
            "session_end");

    public WebhookSettings {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw new IllegalArgumentException("webhook url must be http(s), got '" + url + "'");
        }
        secretVariable = secretVariable == null || secretVariable.isBlank() ? "SWITCHBOARD_WEBHOOK_SECRET" : secretVariable;
        timeoutMs = timeoutMs <= 0 ? 2000 : Math.min(timeoutMs, 10_000);
        retries = Math.max(0, Math.min(retries, 5));
        events = events == null || events.isEmpty() ? ALL : List.copyOf(events);
        for (String e : events) {
            if (!ALL.contains(e)) {
                throw new IllegalArgumentException("unknown webhook event '" + e + "'; known: " + ALL);
            }
        }
    }
}
