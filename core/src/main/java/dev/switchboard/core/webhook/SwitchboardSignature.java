package dev.switchboard.core.webhook;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How Switchboard signs what it sends to a team's servers (event webhooks, tools, call setup):
 * {@code X-Switchboard-Signature: v1=<hex HMAC-SHA256 of timestamp + "." + body>} beside
 * {@code X-Switchboard-Timestamp} (Unix seconds). Receivers recompute it and compare in constant time.
 */
public final class SwitchboardSignature {

    private SwitchboardSignature() {
    }

    public static String sign(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JRE", e);
        }
    }

    /** The header value for a body sent at {@code timestamp}. */
    public static String header(String secret, String timestamp, String body) {
        return "v1=" + sign(secret, timestamp + "." + body);
    }
}
