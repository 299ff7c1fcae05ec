package dev.switchboard.core.twilio;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Say;
import dev.switchboard.core.agent.FallbackSettings;

/** What Twilio plays when the agent cannot take a call: the profile's apology, then its fallback number or the end. */
public final class FallbackTwiml {

    private FallbackTwiml() {
    }

    public static String of(FallbackSettings fallback) {
        VoiceResponse.Builder response = new VoiceResponse.Builder().say(new Say.Builder(fallback.message()).build());
        fallback.transferTo().ifPresentOrElse(
                number -> response.dial(new Dial.Builder(number).build()),
                () -> response.hangup(new Hangup.Builder().build()));
        return response.build().toXml();
    }
}
