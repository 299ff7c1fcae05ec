package dev.switchboard.core.agent;

import java.util.Optional;

/**
 * What a caller hears when the agent cannot take the call (the Realtime API does not answer in time,
 * or a session drops more often than it can be replaced): a short apology, then a transfer to
 * {@code number} if the profile names one, else the end of the call.
 *
 * @param number  an E.164 number to send the caller to, or empty
 * @param message the apology, spoken by Twilio
 */
public record FallbackSettings(String number, String message) {

    public static final FallbackSettings DEFAULT = new FallbackSettings(null, null);

    public FallbackSettings {
        number = number == null ? "" : number.trim();
        if (!number.isEmpty() && !number.matches("\\+[1-9]\\d{6,14}")) {
            throw new IllegalArgumentException("fallback.number must be an E.164 number such as +15550100000, got '" + number + "'");
        }
        message = message == null || message.isBlank()
                ? (number.isEmpty() ? "We're sorry, we can't take your call right now. Please call again later. Goodbye."
                        : "We're sorry, our assistant is unavailable right now. Connecting you to a colleague.")
                : message.trim();
    }

    public Optional<String> transferTo() {
        return number.isEmpty() ? Optional.empty() : Optional.of(number);
    }
}
