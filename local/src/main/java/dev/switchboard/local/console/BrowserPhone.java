package dev.switchboard.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.config.Settings;
import dev.switchboard.core.webhook.TwilioWebhooks;
import dev.switchboard.local.LocalStack;
import dev.switchboard.local.SimulatedPeople;
import dev.switchboard.relay.config.InternalToken;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.DialVerb;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import dev.switchboard.simulator.twilio.WebhookPoster;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /console/phone}: the browser phone's call. It is made exactly as Twilio makes an inbound
 * call: the call is known to the local Twilio stand-in (so hang-up and transfer act on it), the voice
 * webhook is posted signed, and the page gets the {@code <Connect><Stream>}'s address and one-time
 * token to open the media stream itself. What Twilio's REST API is then asked to do to the call (hang
 * up, transfer) reaches the page as a {@code twilio_call_update} console event, as Twilio would end or
 * move the stream. A transfer rings one of the {@link SimulatedPeople} ({@link PhoneTransfer}); during
 * it the page has no stream, and hangs up with {@code POST /console/phone/hangup}. Needs the local Twilio stand-in: with a real Twilio account the browser is not a
 * Twilio call. A page that never opens its stream (it was closed, the microphone refused) gets its call
 * ended as Twilio would end it, with the final status callback, so no record is left without an outcome.
 */
@Singleton
public class BrowserPhone {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final LocalStack local;
    private final AgentProfiles agents;
    private final ConsoleAccess access;
    private final ConsoleBroadcast consoles;
    /** The browser calls in progress, with where their page reached the stack. */
    private final Map<String, PhoneTransfer.Origin> phoneCalls = new ConcurrentHashMap<>();
    private final ExecutorService transfers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "browser-phone-transfer");
        t.setDaemon(true);
        return t;
    });
    private final SimulatedPeople people;
    private final SecureRandom random = new SecureRandom();
    private final CallStore calls;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "browser-phone");
        t.setDaemon(true);
        return t;
    });
    /** How long a page has to open the stream of the call it asked for. */
    private final Duration streamDeadline;

    public BrowserPhone(Settings settings, LocalStack local, AgentProfiles agents, InternalToken token, ConsoleBroadcast consoles,
                        CallStore calls, SimulatedPeople people,
                        @ConfigProperty(name = "switchboard.local.phone-stream-deadline", defaultValue = "60s") Duration streamDeadline) {
        this.calls = calls;
        this.people = people;
        this.streamDeadline = streamDeadline;
        this.settings = settings;
        this.local = local;
        this.agents = agents;
        this.access = new ConsoleAccess(token);
        this.consoles = consoles;
        local.twilioRestSimulator().ifPresent(twilio -> twilio.onCallUpdated(this::onTwilioUpdate));
    }

    void register(@Observes Router router) {
        router.post("/console/phone").handler(BodyHandler.create().setBodyLimit(4 * 1024)).blockingHandler(this::call, false);
        router.post("/console/phone/hangup").handler(BodyHandler.create().setBodyLimit(1024)).handler(this::hangUp);
    }

    /** The page hangs up while its call has no stream (a transfer rings or talks): Twilio ends the call. */
    private void hangUp(RoutingContext ctx) {
        if (refused(ctx)) {
            return;
        }
        String callSid;
        try {
            callSid = JSON.readTree(ctx.body().asString() == null ? "{}" : ctx.body().asString()).path("callSid").asText("");
        } catch (Exception e) {
            answer(ctx, 400, JSON.createObjectNode().put("error", "the body is not JSON"));
            return;
        }
        if (phoneCalls.remove(callSid) == null) {
            answer(ctx, 404, JSON.createObjectNode().put("error", "no browser call " + callSid + " in progress"));
            return;
        }
        local.twilioRestSimulator().ifPresent(t -> t.setStatus(callSid, "completed"));
        answer(ctx, 200, JSON.createObjectNode().put("callSid", callSid).put("status", "completed"));
    }

    private boolean refused(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        String refusal = access.refusal(ctx.request().remoteAddress().hostAddress(),
                auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null);
        if (refusal != null) {
            answer(ctx, 401, JSON.createObjectNode().put("error", refusal));
        }
        return refusal != null;
    }

    private void call(RoutingContext ctx) {
        if (refused(ctx)) {
            return;
        }
        Optional<TwilioRestSimulator> twilio = local.twilioRestSimulator();
        if (twilio.isEmpty()) {
            answer(ctx, 409, JSON.createObjectNode().put("error", "the browser phone needs the local Twilio stand-in:"
                    + " run without TWILIO_ACCOUNT_SID (OPENAI_API_KEY may stay set)"));
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body().asString() == null ? "{}" : ctx.body().asString());
        } catch (Exception e) {
            answer(ctx, 400, JSON.createObjectNode().put("error", "the body is not JSON"));
            return;
        }
        String name = body.path("agent").asText("");
        Optional<AgentProfile> agent = agents.byName(name);
        if (agent.isEmpty() || agent.get().numbers().isEmpty()) {
            answer(ctx, 400, JSON.createObjectNode().put("error", "agent must name a profile with a phone number: "
                    + agents.all().stream().filter(a -> !a.numbers().isEmpty()).map(AgentProfile::name).sorted().toList()));
            return;
        }
        String to = agent.get().numbers().get(0);
        String from = "+15550100" + String.format("%03d", random.nextInt(1000));
        String callSid = TwilioRestSimulator.newCallSid(random);
        twilio.get().registerCall(callSid, from, to, "inbound");
        int port = ctx.request().localAddress().port();
        phoneCalls.put(callSid, new PhoneTransfer.Origin(port, ctx.request().isSSL(), ctx.request().authority().toString()));
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", settings.twilioAccountSid());
        form.put("CallSid", callSid);
        form.put("From", from);
        form.put("To", to);
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        try {
            HttpResponse<String> twiml = new WebhookPoster(settings.twilioAuthToken()).post(
                    URI.create("http://127.0.0.1:" + port + TwilioWebhooks.VOICE), settings.publicBaseUrl() + TwilioWebhooks.VOICE, form, null);
            timers.schedule(() -> endIfNeverStreamed(port, form), streamDeadline.toMillis(), TimeUnit.MILLISECONDS);
            ConnectStream stream = ConnectStream.parse(twiml.body());
            ObjectNode answer = JSON.createObjectNode().put("callSid", callSid).put("from", from).put("to", to)
                    .put("agent", agent.get().name()).put("streamUrl", sameOrigin(ctx, stream.url()));
            ObjectNode parameters = answer.putObject("parameters");
            stream.parameters().forEach(parameters::put);
            answer(ctx, 200, answer);
        } catch (Exception e) {
            phoneCalls.remove(callSid);
            answer(ctx, 502, JSON.createObjectNode().put("error", "the voice webhook did not answer with a stream: " + e.getMessage()));
        }
    }

    /** Twilio's final status callback for a call whose page never opened its stream: the record gets its outcome. */
    private void endIfNeverStreamed(int port, Map<String, String> created) {
        String callSid = created.get("CallSid");
        if (calls.find(callSid).map(c -> c.streamSid().isPresent() || c.outcome().isPresent()).orElse(true)) {
            return;
        }
        phoneCalls.remove(callSid);
        local.twilioRestSimulator().ifPresent(t -> t.setStatus(callSid, "completed"));
        Map<String, String> form = new LinkedHashMap<>(created);
        form.put("CallStatus", "completed");
        try {
            new WebhookPoster(settings.twilioAuthToken()).post(URI.create("http://127.0.0.1:" + port + TwilioWebhooks.STATUS),
                    settings.publicBaseUrl() + TwilioWebhooks.STATUS, form, null);
        } catch (RuntimeException e) {
            // the stack is stopping: nothing left to record it in
        }
    }

    /** Twilio's REST API was asked to act on a browser call: tell the page, which plays Twilio's part. */
    private void onTwilioUpdate(TwilioRestSimulator.CallUpdate update) {
        PhoneTransfer.Origin origin = phoneCalls.get(update.callSid());
        if (origin == null) {
            return;
        }
        ObjectNode event = JSON.createObjectNode().put("type", "twilio_call_update").put("callSid", update.callSid());
        String status = update.form().getOrDefault("Status", "");
        String twiml = update.form().getOrDefault("Twiml", "");
        event.put("status", status);
        event.put("dial", twiml.contains("<Dial"));
        if (status.equals("completed")) {
            phoneCalls.remove(update.callSid());
        }
        consoles.broadcast(event.toString());
        if (DialVerb.isDial(twiml)) {
            PhoneTransfer transfer = new PhoneTransfer(settings, people.dial(), local.twilioRestSimulator().orElseThrow(), consoles);
            transfers.execute(() -> {
                if (!transfer.run(update.callSid(), twiml, origin)) {
                    phoneCalls.remove(update.callSid());
                }
            });
        }
    }

    /** The stream's path on the address the page used: the relay's public URL may name a tunnel or another port. */
    static String sameOrigin(RoutingContext ctx, String streamUrl) {
        return (ctx.request().isSSL() ? "wss://" : "ws://") + ctx.request().authority() + URI.create(streamUrl).getPath();
    }

    private static void answer(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
