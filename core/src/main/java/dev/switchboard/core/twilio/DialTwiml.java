package dev.switchboard.core.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Conference;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Sip;
import dev.switchboard.core.agent.TransferSettings;
import dev.switchboard.core.agent.TransferTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The TwiML that hands a live call to a person: {@code <Dial>} with caller ID, ring timeout and an
 * {@code action} URL, so that Twilio tells us whether the person answered. A SIP target also receives
 * the conversation summary as a SIP header ({@code X-Switchboard-Summary}).
 */
public final class DialTwiml {

    static final int MAX_SUMMARY_HEADER = 200;

    private DialTwiml() {
    }

    /**
     * Joins the call to the conference {@code name}: the two legs of a warm transfer meet there. The
     * conference starts when the first joins and ends when the last leaves; no beep, no hold music.
     */
    public static String conference(String name) {
        Conference conference = new Conference.Builder(name).beep(Conference.Beep.FALSE).startConferenceOnEnter(true)
                .endConferenceOnExit(true).waitUrl("").build();
        return new VoiceResponse.Builder().dial(new Dial.Builder().conference(conference).build()).build().toXml();
    }

    public static String dial(TransferTarget target, TransferSettings settings, String actionUrl, String summary) {
        Dial.Builder dial = new Dial.Builder()
                .timeout(settings.timeoutSeconds())
                .action(actionUrl)
                .method(HttpMethod.POST);
        if (!settings.callerId().isBlank()) {
            dial.callerId(settings.callerId());
        }
        if (target.isSip()) {
            String uri = target.sip();
            if (summary != null && !summary.isBlank()) {
                String header = summary.length() > MAX_SUMMARY_HEADER ? summary.substring(0, MAX_SUMMARY_HEADER) : summary;
                uri += (uri.contains("?") ? "&" : "?") + "X-Switchboard-Summary="
                        + URLEncoder.encode(header, StandardCharsets.UTF_8).replace("+", "%20");
            }
            dial.sip(new Sip.Builder(uri).build());
        } else {
            dial.number(new Number.Builder(target.number()).build());
        }
        return new VoiceResponse.Builder().dial(dial.build()).build().toXml();
    }
}
