package dev.switchboard.relay.config;

/**
 * The shared secret of {@code RELAY_INTERNAL_TOKEN}: what other Switchboard processes present to the
 * relay's internal endpoints. Empty means those endpoints are closed. Never logged.
 */
public record InternalToken(String value) {

    @Override
    public String toString() {
        return "InternalToken[" + (value.isEmpty() ? "<unset>" : "<set>") + "]";
    }
}
