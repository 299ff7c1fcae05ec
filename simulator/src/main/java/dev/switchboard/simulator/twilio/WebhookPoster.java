package dev.switchboard.simulator.twilio;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sends webhooks the way Twilio does: form-encoded POSTs with {@code X-Twilio-Signature}, retried once
 * on a new connection when the connection fails (Twilio's default connection override: rc=1, rp=ct),
 * not after a read timeout.
 */
public final class WebhookPoster {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String authToken;

    /** A client of its own, with no pooled connection: retries are rare, and it is dropped after one. */
    private static HttpClient freshConnection() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public WebhookPoster(String authToken) {
        this.authToken = authToken;
    }

    /**
     * POSTs to {@code target} (where the server really listens), signed for {@code signedUrl} (the
     * public URL Twilio was configured with). Pass a null signature override to sign correctly.
     */
    public HttpResponse<String> post(URI target, String signedUrl, Map<String, String> form, String signatureOverride) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String signature = signatureOverride != null ? signatureOverride : TwilioSigner.sign(authToken, signedUrl, form);
        if (!signature.isEmpty()) {
            b.header("X-Twilio-Signature", signature);
        }
        HttpRequest request = b.build();
        try {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                if (!(e instanceof HttpConnectTimeoutException)) {
                    throw e; // a read timeout is not retried by default
                }
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                // the connection failed before any answer (refused, reset, or a kept-alive one closed under the
                // request, as the stand-in balancer does to connections of a relay that died): Twilio's one retry,
                // on a new connection; this client's pool may hold more connections to the dead relay (one
                // RelayLossIT run failed on a retry that took another of them)
                return freshConnection().send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (Exception e) {
            throw new IllegalStateException("webhook POST to " + target + " failed: " + e.getMessage(), e);
        }
    }
}
