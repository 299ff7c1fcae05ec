package dev.switchboard.local.console;

import dev.switchboard.relay.config.InternalToken;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use the console and the browser phone: a client on this machine (loopback) presenting the
 * local stack's token. Both, because the console can place calls and speak on them: with real
 * credentials behind the local stack a tunnel or an open port must not make it anyone's phone.
 */
public final class ConsoleAccess {

    private final InternalToken token;

    public ConsoleAccess(InternalToken token) {
        this.token = token;
    }

    /** Null when allowed, else why not (for the client: it names what is missing, never the token). */
    public String refusal(String remoteAddress, String presentedToken) {
        if (!loopback(remoteAddress)) {
            return "the console answers on this machine only";
        }
        byte[] expected = token.value().getBytes(StandardCharsets.UTF_8);
        if (presentedToken == null || !MessageDigest.isEqual(expected, presentedToken.getBytes(StandardCharsets.UTF_8))) {
            return "the local token is missing or wrong (./run prints the console's address with it)";
        }
        return null;
    }

    static boolean loopback(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        String host = remoteAddress;
        if (host.startsWith("[")) { // [::1]:port
            host = host.substring(1, host.indexOf(']'));
        } else if (host.chars().filter(c -> c == ':').count() == 1) { // 127.0.0.1:port
            host = host.substring(0, host.indexOf(':'));
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress(); // a literal address: no lookup happens
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
