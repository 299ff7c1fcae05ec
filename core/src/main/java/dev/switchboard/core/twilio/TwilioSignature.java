package dev.switchboard.core.twilio;

import com.twilio.security.RequestValidator;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code X-Twilio-Signature} with Twilio's own validator (HMAC-SHA1 over the full URL and the
 * sorted form parameters, compared in constant time; it also tries the URL with and without :443).
 */
public final class TwilioSignature {

    private final RequestValidator validator;

    public TwilioSignature(String authToken) {
        if (authToken == null || authToken.isEmpty()) {
            throw new IllegalArgumentException("TWILIO_AUTH_TOKEN is required to check webhook signatures");
        }
        this.validator = new RequestValidator(authToken);
    }

    public boolean isValid(String fullUrl, Map<String, String> formParams, Optional<String> signature) {
        return signature.filter(s -> !s.isBlank())
                .map(s -> validator.validate(fullUrl, formParams, s))
                .orElse(false);
    }
}
