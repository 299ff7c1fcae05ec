package dev.switchboard.core.agent;

import java.util.Map;

/**
 * Headers a profile asks for on requests to a team's server: header name → the environment variable
 * (or its {@code _SECRET_ARN}) holding the value, so no secret is ever written in a profile.
 */
final class HeaderVariables {

    private HeaderVariables() {
    }

    /** The headers as given (none if null); {@code where} names the field in the error. */
    static Map<String, String> checked(Map<String, String> headers, String where) {
        Map<String, String> copy = headers == null ? Map.of() : Map.copyOf(headers);
        copy.forEach((name, variable) -> {
            if (!name.matches("[A-Za-z0-9-]+") || variable == null || !variable.matches("[A-Z_][A-Z0-9_]*")) {
                throw new IllegalArgumentException(where + " maps a header name to an environment variable name"
                        + " (such as Authorization: API_TOKEN), got '" + name + ": " + variable + "'");
            }
        });
        return copy;
    }
}
