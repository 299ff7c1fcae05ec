package dev.switchboard.simulator.twilio;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Sends webhooks the way Twilio does: form-encoded POSTs with {@code X-Twilio-Signature}. */
public final class WebhookPoster {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String authToken;

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
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("webhook POST to " + target + " failed: " + e.getMessage(), e);
        }
    }
}
