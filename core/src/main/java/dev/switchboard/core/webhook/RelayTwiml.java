package dev.switchboard.core.webhook;

import dev.switchboard.core.call.Direction;
import dev.switchboard.core.twilio.StreamTwiml;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code <Connect><Stream>} that sends a call to the relay fleet, with its one-time token, agent and
 * direction, the stream's status callback and the {@code <Connect action>} asked when the stream ends.
 * Every path that streams a call (answer, outbound, back from a transfer, resumed, handed over) uses it.
 */
public final class RelayTwiml {

    /** A call whose stream keeps ending without an outcome is not sent round the fleet for ever. */
    public static final int MAX_RESUMES = 8;

    private RelayTwiml() {
    }

    public static String connect(String relayUrl, String publicBaseUrl, String token, String agent, Direction direction) {
        return connect(0, relayUrl, publicBaseUrl, token, agent, direction);
    }

    /** The same after {@code pauseSeconds} of silence (0: none). */
    public static String connect(int pauseSeconds, String relayUrl, String publicBaseUrl, String token, String agent,
                                 Direction direction) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(TwilioWebhooks.PARAM_TOKEN, token);
        parameters.put(TwilioWebhooks.PARAM_AGENT, agent);
        parameters.put(TwilioWebhooks.PARAM_DIRECTION, direction.name().toLowerCase());
        return StreamTwiml.connect(pauseSeconds, relayUrl, publicBaseUrl + TwilioWebhooks.STREAM_STATUS,
                publicBaseUrl + TwilioWebhooks.STREAM_ENDED, parameters);
    }
}
