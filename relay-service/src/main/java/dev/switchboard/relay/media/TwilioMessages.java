package dev.switchboard.relay.media;

/**
 * The three messages the relay sends to Twilio, built as strings: they are sent 50 times a second per
 * call, and their only variable parts (stream SID, base64 audio, mark names we generate) never need
 * JSON escaping. {@link #isBase64} guards the one part that comes from outside.
 */
public final class TwilioMessages {

    private TwilioMessages() {
    }

    public static String media(String streamSid, String base64Payload) {
        return new StringBuilder(base64Payload.length() + streamSid.length() + 64)
                .append("{\"event\":\"media\",\"streamSid\":\"").append(streamSid)
                .append("\",\"media\":{\"payload\":\"").append(base64Payload).append("\"}}").toString();
    }

    public static String mark(String streamSid, String name) {
        return "{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\"" + name + "\"}}";
    }

    public static String clear(String streamSid) {
        return "{\"event\":\"clear\",\"streamSid\":\"" + streamSid + "\"}";
    }

    /**
     * True for whole, padded base64 (length a multiple of 4, at most two {@code =} and only at the end):
     * such a value is audio the model can take, and can be embedded in JSON as is.
     */
    public static boolean isBase64(String s) {
        int n = s.length();
        if (n == 0 || n % 4 != 0) {
            return false; // Twilio's payloads are whole, padded base64: anything else is not audio
        }
        int padding = s.charAt(n - 1) == '=' ? (s.charAt(n - 2) == '=' ? 2 : 1) : 0;
        if (padding == n) {
            return false;
        }
        for (int i = 0; i < n - padding; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of audio in a base64 string, without decoding it. */
    public static int decodedLength(String base64) {
        int n = base64.length();
        int padding = n > 0 && base64.charAt(n - 1) == '=' ? (n > 1 && base64.charAt(n - 2) == '=' ? 2 : 1) : 0;
        return n / 4 * 3 - padding;
    }

    /** Stream SIDs are {@code MZ} plus 32 hex digits; anything else is refused before it reaches our JSON. */
    public static boolean isStreamSid(String s) {
        return s != null && s.matches("MZ[0-9a-fA-F]{32}");
    }
}
