package dev.switchboard.core.webhook;

import java.util.Map;
import java.util.Optional;

/**
 * A Twilio webhook as any runtime receives it: the public base URL Twilio called (scheme and host, as
 * configured in Twilio), the path and raw query, the decoded form fields and the
 * {@code X-Twilio-Signature}. The URL Twilio signed is base + path + query.
 */
public record WebhookRequest(String publicBaseUrl, String path, Optional<String> rawQuery, Map<String, String> form,
                             Optional<String> signature) {

    public WebhookRequest {
        form = Map.copyOf(form);
    }

    public String param(String name) {
        return form.get(name);
    }
}
