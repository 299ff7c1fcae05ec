package dev.switchboard.core.agent;

import java.net.URI;
import java.util.Map;

/**
 * Where a profile's {@code http} tool is run: a signed JSON POST to {@code url}.
 *
 * @param url            https, or plain http on a loopback address (a tool server on the same machine)
 * @param headers        header name → the environment variable (or its {@code _SECRET_ARN}) holding the
 *                       value, so no secret is ever written in a profile
 * @param secretVariable the environment variable holding the HMAC key that signs each request
 * @param retries        further attempts after a connection error (never after an answer), at most 3
 */
public record HttpToolTarget(String url, Map<String, String> headers, String secretVariable, int retries) {

    public HttpToolTarget {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("http.url is required");
        }
        URI uri = URI.create(url.trim());
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException("http.url must be https (or http on localhost for local work), got '" + url + "'");
        }
        url = url.trim();
        headers = HeaderVariables.checked(headers, "http.headers");
        secretVariable = secretVariable == null || secretVariable.isBlank() ? "SWITCHBOARD_WEBHOOK_SECRET" : secretVariable.trim();
        if (retries < 0 || retries > 3) {
            throw new IllegalArgumentException("http.retries must be 0 to 3, got " + retries);
        }
    }
}
