package dev.switchboard.local;

import dev.switchboard.core.config.Settings;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.audio.SynthesizedVoice;
import dev.switchboard.simulator.audio.Voice;
import dev.switchboard.simulator.twilio.TwilioCall;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import dev.switchboard.simulator.twilio.WebhookPoster;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who answers a call the local stack places (with the local Twilio stand-in): a simulated person. As
 * Twilio would, it reports the call's progress to its status callback (ringing, in-progress,
 * completed) and its answering-machine verdict ({@code human}) when one was asked for, runs the call's
 * TwiML (the media stream to the relay, and whatever REST updates follow, a transfer ringing one of the
 * {@link SimulatedPeople}), says hello and listens,
 * and leaves when the call is hung up (or after ten minutes). Off in tests, which play the callee
 * themselves.
 */
@Singleton
public class SimulatedCallee {

    private static final Logger LOG = Logger.getLogger(SimulatedCallee.class);
    static final Duration LONGEST_CALL = Duration.ofMinutes(10);

    private final boolean enabled;
    private final LocalStack local;
    private final Settings settings;
    private final SimulatedPeople people;
    private final Voice voice = SynthesizedVoice.ifInstalled().orElse(Voice.SPEECH_LIKE);
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "simulated-callee");
        t.setDaemon(true);
        return t;
    });

    public SimulatedCallee(@ConfigProperty(name = "switchboard.local.simulated-callee", defaultValue = "true") boolean enabled,
                           LocalStack local, Settings settings, SimulatedPeople people) {
        this.enabled = enabled;
        this.people = people;
        this.local = local;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        local.twilioRestSimulator().ifPresent(rest -> rest.onCallUpdated(update -> {
            if ("queued".equals(rest.statusOf(update.callSid())) && update.form().containsKey("To")
                    && update.form().containsKey("Twiml")) {
                calls.execute(() -> answer(rest, update.callSid(), update.form()));
            }
        }));
    }

    private void answer(TwilioRestSimulator rest, String callSid, Map<String, String> created) {
        WebhookPoster poster = new WebhookPoster(settings.twilioAuthToken());
        String statusCallback = created.get("StatusCallback");
        try {
            status(poster, statusCallback, callSid, created, "ringing");
            Thread.sleep(1000); // it rings once
            rest.setStatus(callSid, "in-progress");
            status(poster, statusCallback, callSid, created, "in-progress");
            TwilioCall call = new TwilioCall(local.simulatorVertx().orElseThrow(), callSid, 1.0, poster, TwilioCall.Network.AS_IS)
                    .follow(rest).dialing(people.dial()).run(created.get("Twiml"));
            LOG.infof("call %s: answered by the simulated callee at %s", callSid, TwilioWebhooks.mask(created.get("To")));
            String amd = created.get("AsyncAmdStatusCallback");
            if (amd != null) {
                Map<String, String> verdict = form(callSid, created, "in-progress");
                verdict.put("AnsweredBy", "human");
                poster.post(URI.create(amd), amd, verdict, null);
            }
            if (!call.streams().isEmpty()) {
                call.current().caller().play(Audio.concat(voice.say("Hello, this is Sam speaking.", 1400, callSid.hashCode()),
                        Audio.silence(1000)));
            }
            String why;
            try {
                why = call.awaitEnd(LONGEST_CALL);
            } catch (IllegalStateException tooLong) {
                call.hangUp();
                why = "the simulated callee hung up after " + LONGEST_CALL.toMinutes() + " minutes";
            }
            call.close();
            rest.setStatus(callSid, "completed");
            status(poster, statusCallback, callSid, created, "completed");
            LOG.infof("call %s: the simulated callee's call is over (%s)", callSid, why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("call %s: the simulated callee failed: %s", callSid, e.toString());
        }
    }

    private static void status(WebhookPoster poster, String url, String callSid, Map<String, String> created, String status) {
        if (url != null) {
            poster.post(URI.create(url), url, form(callSid, created, status), null);
        }
    }

    private static Map<String, String> form(String callSid, Map<String, String> created, String status) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", LocalStack.LOCAL_ACCOUNT_SID);
        form.put("CallSid", callSid);
        form.put("From", created.get("From"));
        form.put("To", created.get("To"));
        form.put("CallStatus", status);
        form.put("Direction", "outbound-api");
        return form;
    }
}
