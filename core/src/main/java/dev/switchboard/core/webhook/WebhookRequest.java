package dev.switchboard.core.webhook;

import java.util.Map;
import java.util.Optional;

/**
 * A Twilio webhook as any runtime receives it: the path and raw query the request was made to, its
 * decoded form fields and its {@code X-Twilio-Signature}. The full URL Twilio signed is the public
 * base URL plus path and query.
 */
public record WebhookRequest(String path, Optional<String> rawQuery, Map<String, String> form, Optional<String> signature) {

    public WebhookRequest {
        form = Map.copyOf(form);
    }

    public String param(String name) {
        return form.get(name);
    }
}
