package dev.switchboard.simulator.twilio;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook as Twilio does: Base64(HMAC-SHA1(auth token, URL + each form field's name and
 * value, sorted by name)). Written from the protocol rather than taken from Twilio's SDK, so that
 * the relay's use of the SDK's validator is checked against an independent implementation.
 */
public final class TwilioSigner {

    private TwilioSigner() {
    }

    public static String sign(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JRE", e);
        }
    }
}
