package dev.switchboard.core.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Pause;
import com.twilio.twiml.voice.Stream;
import java.util.Map;

/**
 * The TwiML that hands a call to the relay: {@code <Connect action><Stream>} and nothing after it, because
 * any verb after {@code </Connect>} (a {@code <Pause>}, say) keeps a silent line open once the relay leaves.
 * The {@code action} URL is asked what next whenever the stream ends: a call whose relay was lost goes
 * on, on a new stream, instead of ending with the socket. Values travel as {@code <Parameter>}s:
 * Twilio's stream URL takes no query string.
 */
public final class StreamTwiml {

    /** Twilio limits each parameter's name plus value to under 500 characters. */
    static final int MAX_PARAMETER_CHARS = 499;

    private StreamTwiml() {
    }

    public static String connect(String relayUrl, String statusCallbackUrl, String actionUrl, Map<String, String> parameters) {
        return connect(0, relayUrl, statusCallbackUrl, actionUrl, parameters);
    }

    /** {@code pauseSeconds} of silence first (0: none): time for a load balancer to stop sending streams to a dead relay. */
    public static String connect(int pauseSeconds, String relayUrl, String statusCallbackUrl, String actionUrl,
                                 Map<String, String> parameters) {
        Stream.Builder stream = new Stream.Builder()
                .url(relayUrl)
                .statusCallback(statusCallbackUrl)
                .statusCallbackMethod(Stream.StatusCallbackMethod.POST);
        parameters.forEach((name, value) -> {
            if (name.length() + value.length() > MAX_PARAMETER_CHARS) {
                throw new IllegalArgumentException("stream parameter '" + name + "' is too long for Twilio");
            }
            stream.parameter(new Parameter.Builder().name(name).value(value).build());
        });
        VoiceResponse.Builder response = new VoiceResponse.Builder();
        if (pauseSeconds > 0) {
            response.pause(new Pause.Builder().length(pauseSeconds).build());
        }
        return response.connect(new Connect.Builder().action(actionUrl).method(HttpMethod.POST).stream(stream.build()).build())
                .build()
                .toXml();
    }

    /** Ends a call that must not reach the relay. */
    public static String hangup() {
        return new VoiceResponse.Builder().hangup(new com.twilio.twiml.voice.Hangup.Builder().build()).build().toXml();
    }
}
