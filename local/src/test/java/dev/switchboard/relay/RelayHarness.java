package dev.switchboard.relay;

import dev.switchboard.core.config.Settings;
import dev.switchboard.local.LocalStack;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import dev.switchboard.simulator.realtime.RealtimeSimulator;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import dev.switchboard.simulator.twilio.TwilioCall;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import dev.switchboard.simulator.twilio.WebhookPoster;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Places simulated calls against the relay under test exactly as Twilio would: a signed voice
 * webhook, the TwiML parsed for its stream URL parameters, then a media stream over a real socket.
 */
public final class RelayHarness implements AutoCloseable {

    private static final Vertx CALLERS = Vertx.vertx();
    private static final Map<String, WebhookPoster> POSTERS = new ConcurrentHashMap<>();
    private static int counter;

    private final Settings settings;
    private final LocalStack local;
    private final URI http;
    private final List<MediaStreamCaller> opened = new CopyOnWriteArrayList<>();
    private final List<TwilioCall> followed = new CopyOnWriteArrayList<>();

    public RelayHarness(Settings settings, LocalStack local, URI httpBase) {
        this.settings = settings;
        this.local = local;
        this.http = httpBase;
    }

    public RealtimeSimulator realtime() {
        return local.realtimeSimulator().orElseThrow();
    }

    public TwilioRestSimulator twilioRest() {
        return local.twilioRestSimulator().orElseThrow();
    }

    public URI mediaStreamUrl() {
        return URI.create("ws://" + http.getHost() + ":" + http.getPort() + "/media-stream");
    }

    public static synchronized String newCallSid() {
        return String.format("CA%032x", System.nanoTime() ^ (long) (++counter) << 48);
    }

    public static Map<String, String> inboundForm(String callSid) {
        return inboundForm(callSid, "+15559870000");
    }

    public static Map<String, String> inboundForm(String callSid, String calledNumber) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", LocalStack.LOCAL_ACCOUNT_SID);
        form.put("CallSid", callSid);
        form.put("From", "+15551230000");
        form.put("To", calledNumber);
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        return form;
    }

    public HttpResponse<String> postWebhook(String path, Map<String, String> form, String signatureOverride) {
        // one poster (one JDK HttpClient, with its threads) per token for the whole run
        WebhookPoster poster = POSTERS.computeIfAbsent(settings.twilioAuthToken(), WebhookPoster::new);
        return poster.post(http.resolve(path),
                settings.publicBaseUrl() + path, form, signatureOverride);
    }

    /** Rings the relay: voice webhook, then the stream. The Realtime simulator plays {@code script}. */
    public Call call(List<Reply> script, double speed) {
        return call(script, speed, "+15559870000");
    }

    /**
     * Rings {@code calledNumber}. Like Twilio, the REST simulator stops the call's media stream when
     * the call is updated with new TwiML or hung up.
     */
    public Call call(List<Reply> script, double speed, String calledNumber) {
        realtime().script(() -> script);
        String callSid = newCallSid();
        twilioRest().registerCall(callSid, "+15551230000", calledNumber, "inbound");
        HttpResponse<String> answer = postWebhook("/twilio/voice", inboundForm(callSid, calledNumber), null);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("voice webhook answered " + answer.statusCode() + ": " + answer.body());
        }
        return stream(callSid, ConnectStream.parse(answer.body()), speed);
    }

    /**
     * Rings {@code calledNumber} as a {@link TwilioCall}: Twilio's side of the whole call, which follows
     * {@code <Connect action>} and REST updates onto new streams. Returns once its first stream is open.
     */
    public TwilioCall twilioCall(List<Reply> script, double speed, String calledNumber) {
        realtime().script(() -> script);
        String callSid = newCallSid();
        twilioRest().registerCall(callSid, "+15551230000", calledNumber, "inbound");
        HttpResponse<String> answer = postWebhook("/twilio/voice", inboundForm(callSid, calledNumber), null);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("voice webhook answered " + answer.statusCode() + ": " + answer.body());
        }
        TwilioCall call = new TwilioCall(CALLERS, callSid, speed, POSTERS.computeIfAbsent(settings.twilioAuthToken(), WebhookPoster::new),
                new TwilioCall.Network() {
                    @Override
                    public URI http(String publicUrl) {
                        return http.resolve(URI.create(publicUrl).getPath());
                    }

                    @Override
                    public URI stream(String streamUrl) {
                        return mediaStreamUrl();
                    }
                }).follow(twilioRest());
        followed.add(call);
        return call.run(answer.body());
    }

    /** A call placed through the local {@code POST /calls/outbound}: its CallSid and the TwiML Twilio was given. */
    public record Placed(String callSid, ConnectStream twiml, Map<String, String> createForm) {
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    public Placed placeOutbound(String requestJson) {
        try {
            HttpResponse<String> r = HTTP.send(java.net.http.HttpRequest.newBuilder(http.resolve("/calls/outbound"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + LocalStack.LOCAL_INTERNAL_TOKEN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(requestJson)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("outbound call refused: " + r.statusCode() + " " + r.body());
            }
            String callSid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("callSid").asText();
            Map<String, String> form = twilioRest().requests().stream()
                    .filter(q -> q.path().endsWith("/Calls.json") && q.status() == 201).reduce((a, b) -> b).orElseThrow().form();
            return new Placed(callSid, ConnectStream.parse(form.get("Twiml")), form);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens the media stream of TwiML Twilio received (a voice webhook's, or a dial result's). */
    public Call stream(String callSid, ConnectStream twiml, double speed) {
        int before = realtime().connections().size();
        MediaStreamCaller caller = track(new MediaStreamCaller(CALLERS, callSid, speed));
        twilioRest().onCallUpdated(u -> {
            if (u.callSid().equals(callSid) && (u.form().containsKey("Twiml") || u.form().containsKey("Url")
                    || "completed".equals(u.form().get("Status")))) {
                caller.hangUp();
            }
        });
        caller.connect(mediaStreamUrl(), twiml.parameters());
        await(Duration.ofSeconds(10), () -> realtime().connections().size() > before, "the relay to open a Realtime session");
        RealtimeConnection session = realtime().connections().get(realtime().connections().size() - 1);
        // the simulator takes the session's script at its session.update: wait for it before the next call changes the script
        await(Duration.ofSeconds(10), session::configured, "the relay to configure its Realtime session");
        return new Call(callSid, twiml, caller, session);
    }

    public MediaStreamCaller rawCaller(String callSid) {
        return track(new MediaStreamCaller(CALLERS, callSid, 1.0)).connectRaw(mediaStreamUrl());
    }

    public MediaStreamCaller caller(String callSid, double speed) {
        return track(new MediaStreamCaller(CALLERS, callSid, speed));
    }

    private MediaStreamCaller track(MediaStreamCaller caller) {
        opened.add(caller);
        return caller;
    }

    /**
     * Hangs up every stream this harness opened that is still open, so that a test that fails
     * half-way does not leave a live call behind for the next test (which may count sessions).
     */
    @Override
    public void close() {
        for (MediaStreamCaller caller : opened) {
            if (!caller.isClosed()) {
                caller.close();
            }
        }
        opened.clear();
        followed.forEach(TwilioCall::close);
        followed.clear();
        local.realtimeSimulator().ifPresent(r -> r.transcriptionDelay(Duration.ZERO));
    }

    public record Call(String callSid, ConnectStream twiml, MediaStreamCaller caller, RealtimeConnection session) {
    }

    public static void await(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
