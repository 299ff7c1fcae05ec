package dev.switchboard.core.agent;

import java.util.List;

/**
 * Where an agent's call events go: {@code url} receives signed JSON POSTs of the event types in
 * {@code events} (by default {@link #DEFAULT}: the call's milestones, keypad, menu, hold, transfer and
 * the end-of-call report; any of {@link #KNOWN} may be named, such as {@code transcript} or
 * {@code usage}); its answer may carry an action ({@code speak}, {@code transfer}, {@code hangup}).
 * {@code secret_collected} is the only place a secret value collected by {@code collect_digits} (a PIN)
 * goes: to the business's own endpoint, signed. The signing key is read from the environment variable
 * named by {@code secretVariable} (or its {@code _SECRET_ARN}), never from the profile file.
 */
public record WebhookSettings(String url, String secretVariable, long timeoutMs, int retries, List<String> events) {

    public static final List<String> DEFAULT = List.of("session_start", "dtmf_received", "digits_collected", "menu_choice",
            "secret_collected", "callee_identified", "menu_prompt", "menu_keys", "hold_started", "hold_woken", "hold_false_wake", "hold_repeat_ignored", "hold_limit",
            "answering_machine", "transfer_started", "transfer_failed", "session_end", "call_report");
    /** Every event type a call emits (the README's table). */
    public static final List<String> KNOWN = List.of("session_start", "transcript", "dtmf_received", "digits_collected",
            "menu_choice", "secret_collected", "callee_identified", "menu_prompt", "menu_keys", "hold_started", "hold_woken", "hold_false_wake", "hold_repeat_ignored",
            "hold_limit", "tool_call", "tool_result", "transfer_started", "transfer_failed", "usage", "answering_machine",
            "mcp_call", "mcp_failed", "note_added", "session_resumed", "stream_lost", "session_end", "call_report");

    public WebhookSettings {
        if (url == null || !(url.startsWith("https://") || url.startsWith("http://"))) {
            throw new IllegalArgumentException("webhook url must be http(s), got '" + url + "'");
        }
        secretVariable = secretVariable == null || secretVariable.isBlank() ? "SWITCHBOARD_WEBHOOK_SECRET" : secretVariable;
        timeoutMs = timeoutMs <= 0 ? 2000 : Math.min(timeoutMs, 10_000);
        retries = Math.max(0, Math.min(retries, 5));
        events = events == null || events.isEmpty() ? DEFAULT : List.copyOf(events);
        for (String e : events) {
            if (!KNOWN.contains(e)) {
                throw new IllegalArgumentException("unknown webhook event '" + e + "'; known: " + KNOWN);
            }
        }
    }
}
