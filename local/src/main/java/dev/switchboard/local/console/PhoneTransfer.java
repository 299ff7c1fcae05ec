package dev.switchboard.local.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.DialVerb;
import dev.switchboard.simulator.twilio.SimulatedDial;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import dev.switchboard.simulator.twilio.WebhookPoster;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Twilio's part of a browser-phone call's transfer: the {@code <Dial>} rings one of the simulated
 * people, the page is told how it goes ({@code twilio_dial} console events: ringing, answered, then the
 * dial's status), the {@code <Dial action>} is asked, signed, as Twilio asks it, and its TwiML is
 * followed: a new {@code <Connect><Stream>} reaches the page as {@code twilio_stream} (the page opens
 * it and the caller is back with the agent), {@code <Hangup/>} ends the call.
 */
final class PhoneTransfer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the page reached the stack, so the stream it is given is on the same origin. */
    record Origin(int port, boolean secure, String authority) {
    }

    private final Settings settings;
    private final SimulatedDial dial;
    private final TwilioRestSimulator twilio;
    private final ConsoleBroadcast consoles;

    PhoneTransfer(Settings settings, SimulatedDial dial, TwilioRestSimulator twilio, ConsoleBroadcast consoles) {
        this.settings = settings;
        this.dial = dial;
        this.twilio = twilio;
        this.consoles = consoles;
    }

    /** Blocking: rings the party, asks the action and follows its TwiML. True if the call goes on with a new stream. */
    boolean run(String callSid, String twiml, Origin origin) {
        DialVerb verb = DialVerb.parse(twiml);
        BooleanSupplier callerGone = () -> "completed".equals(twilio.statusOf(callSid));
        SimulatedDial.Result result = dial.ring(verb, callerGone, status -> consoles.broadcast(event("twilio_dial", callSid)
                .put("status", status).put("to", TwilioWebhooks.mask(verb.address())).toString()));
        if (verb.action().isEmpty()) {
            return hangUp(callSid, "nothing follows <Dial>");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", settings.twilioAccountSid());
        form.put("CallSid", callSid);
        form.put("CallStatus", callerGone.getAsBoolean() ? "completed" : "in-progress");
        form.put("DialCallStatus", result.status());
        form.put("DialCallDuration", String.valueOf(result.durationSeconds()));
        String next;
        try {
            var answer = new WebhookPoster(settings.twilioAuthToken()).post(
                    URI.create("http://127.0.0.1:" + origin.port() + URI.create(verb.action()).getPath()), verb.action(), form, null);
            next = answer.statusCode() == 200 ? answer.body() : "";
        } catch (RuntimeException e) {
            next = "";
        }
        if (callerGone.getAsBoolean() || !next.contains("<Connect")) {
            return hangUp(callSid, next.contains("<Hangup") ? "the call ended after the transfer" : "the transfer's call is over");
        }
        ConnectStream stream = ConnectStream.parse(next);
        ObjectNode again = event("twilio_stream", callSid).put("streamUrl", (origin.secure() ? "wss://" : "ws://")
                + origin.authority() + URI.create(stream.url()).getPath());
        ObjectNode parameters = again.putObject("parameters");
        stream.parameters().forEach(parameters::put);
        consoles.broadcast(again.toString());
        return true;
    }

    private boolean hangUp(String callSid, String why) {
        twilio.setStatus(callSid, "completed");
        consoles.broadcast(event("twilio_call_update", callSid).put("status", "completed").put("dial", false).put("reason", why).toString());
        return false;
    }

    private static ObjectNode event(String type, String callSid) {
        return JSON.createObjectNode().put("type", type).put("callSid", callSid);
    }
}
