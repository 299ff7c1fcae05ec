package dev.switchboard.simulator.twilio;

import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One phone call as Twilio runs it, across as many media streams as its TwiML asks for. It opens the
 * stream a {@code <Connect><Stream>} names; when that stream ends without the caller hanging up and
 * without Twilio moving the call on, it asks the {@code <Connect action>} (a signed POST, as Twilio
 * does) and follows the TwiML it gets back: another {@code <Connect><Stream>} opens a new stream (with
 * a new StreamSid) on the same call; {@code <Hangup/>}, any other verb or no action ends the call. A
 * REST update of the call with new TwiML stops the current stream (its {@code stop}, then the close)
 * and runs the new TwiML the same way; a REST hang-up ends the call. With a {@link SimulatedDial}, a
 * {@code <Dial>} rings its simulated party and follows what the {@code <Dial action>} answers (without
 * one, a {@code <Dial>} ends the call here, as if the caller left with the person).
 *
 * <p>Thread-safe; the blocking work (webhooks, connecting) runs on a thread of its own per call.
 */
public final class TwilioCall implements AutoCloseable {

    /** Where the URLs in TwiML really are: tests often listen somewhere other than the public URL. */
    public interface Network {
        URI http(String publicUrl);

        URI stream(String streamUrl);

        /** The URLs in TwiML are where they say (a run on its real port). */
        Network AS_IS = new Network() {
            @Override
            public URI http(String publicUrl) {
                return URI.create(publicUrl);
            }

            @Override
            public URI stream(String streamUrl) {
                return URI.create(streamUrl);
            }
        };
    }

    /** One stream of the call, with when it opened and when the caller first heard audio on it. */
    public record Stream(MediaStreamCaller caller, long openedNanos, CompletableFuture<Long> firstAudioNanos) {
    }

    private static final Pattern PAUSE = Pattern.compile("<Pause length=\"(\\d+)\"");

    private final Vertx vertx;
    private final String callSid;
    private final double speed;
    private final WebhookPoster poster;
    private final Network network;
    private final ExecutorService twilio = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "twilio-call");
        t.setDaemon(true);
        return t;
    });
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final List<Integer> actionStatuses = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final AtomicInteger streamCount = new AtomicInteger();
    private final List<String> dialResults = new CopyOnWriteArrayList<>();
    private volatile SimulatedDial dialing;
    private volatile boolean hungUp;
    private volatile boolean endedOverRest;

    public TwilioCall(Vertx vertx, String callSid, double speed, WebhookPoster poster, Network network) {
        this.vertx = vertx;
        this.callSid = callSid;
        this.speed = speed;
        this.poster = poster;
        this.network = network;
    }

    /** Follows the REST simulator's updates of this call, as Twilio does. */
    public TwilioCall follow(TwilioRestSimulator rest) {
        rest.onCallUpdated(u -> {
            if (!u.callSid().equals(callSid) || ended.isDone()) {
                return;
            }
            if (u.form().containsKey("Twiml")) {
                twilio.execute(() -> {
                    stopCurrent();
                    run(u.form().get("Twiml"));
                });
            } else if (u.form().containsKey("Url") || "completed".equals(u.form().get("Status"))) {
                endedOverRest = true; // seen at once by a <Dial> ringing on the call's thread
                twilio.execute(() -> {
                    stopCurrent();
                    end("ended over REST");
                });
            }
        });
        return this;
    }

    /** Rings {@code <Dial>}ed parties as {@code dialing} says, and follows the {@code <Dial action>}'s answer. */
    public TwilioCall dialing(SimulatedDial dialing) {
        this.dialing = dialing;
        return this;
    }

    /** Runs TwiML Twilio was given for this call (a voice webhook's answer, say); returns once a stream is open. */
    public TwilioCall run(String twiml) {
        Matcher pause = PAUSE.matcher(twiml);
        if (pause.find() && twiml.indexOf("<Connect") > pause.start()) {
            try {
                Thread.sleep(Long.parseLong(pause.group(1)) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return this;
            }
        }
        if (twiml.contains("<Connect")) {
            connect(ConnectStream.parse(twiml));
        } else if (DialVerb.isDial(twiml) && dialing != null) {
            dial(DialVerb.parse(twiml));
        } else {
            end(twiml.contains("<Hangup") ? "hung up by TwiML" : "TwiML without a stream: " + twiml);
        }
        return this;
    }

    private void connect(ConnectStream twiml) {
        String streamSid = String.format("MZ%032x", ((long) callSid.hashCode() << 32) ^ System.nanoTime() ^ streamCount.incrementAndGet());
        MediaStreamCaller caller = new MediaStreamCaller(vertx, callSid, streamSid, speed);
        Stream stream = new Stream(caller, System.nanoTime(), new CompletableFuture<>());
        caller.onMessage(m -> {
            if ("media".equals(m.path("event").asText())) {
                stream.firstAudioNanos().complete(System.nanoTime());
            }
        });
        streams.add(stream);
        try {
            caller.connect(network.stream(twiml.url()), twiml.parameters());
        } catch (IllegalStateException refused) { // nothing listens there: the stream ends at once, as a dropped one
            streamEnded(caller, twiml);
            return;
        }
        caller.onClosed(code -> twilio.execute(() -> streamEnded(caller, twiml)));
    }

    private void streamEnded(MediaStreamCaller caller, ConnectStream twiml) {
        if (hungUp || caller.stopSent() || ended.isDone() || caller != current().caller()) {
            return; // the caller left, or the call moved on to other TwiML already
        }
        if (twiml.action().isEmpty()) {
            end("the stream ended and nothing follows <Connect>");
            return;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", "AC" + "0".repeat(32));
        form.put("CallSid", callSid);
        form.put("CallStatus", "in-progress");
        form.put("StreamSid", caller.streamSid());
        int status;
        String body;
        try {
            var answer = poster.post(network.http(twiml.action()), twiml.action(), form, null);
            status = answer.statusCode();
            body = answer.body();
        } catch (IllegalStateException unreachable) {
            status = -1;
            body = "";
        }
        actionStatuses.add(status);
        if (status != 200) {
            end("the <Connect action> answered " + status); // Twilio ends the call on an error page
            return;
        }
        run(body);
    }

    private void dial(DialVerb verb) {
        SimulatedDial.Result result = dialing.ring(verb, this::callerGone, status -> { });
        dialResults.add(result.status());
        if (verb.action().isEmpty()) {
            end("the dialled party's leg ended " + result.status() + " and nothing follows <Dial>");
            return;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", "AC" + "0".repeat(32));
        form.put("CallSid", callSid);
        form.put("CallStatus", callerGone() ? "completed" : "in-progress");
        form.put("DialCallStatus", result.status());
        form.put("DialCallDuration", String.valueOf(result.durationSeconds()));
        String body;
        try {
            var answer = poster.post(network.http(verb.action()), verb.action(), form, null);
            body = answer.statusCode() == 200 ? answer.body() : "";
        } catch (IllegalStateException unreachable) {
            body = "";
        }
        if (callerGone()) {
            return; // the caller is gone: Twilio asks the action and ignores its TwiML
        }
        if (body.isEmpty()) {
            end("the <Dial action> did not answer with TwiML");
            return;
        }
        run(body);
    }

    private boolean callerGone() {
        return hungUp || endedOverRest || ended.isDone();
    }

    private void stopCurrent() {
        if (!streams.isEmpty()) {
            MediaStreamCaller caller = current().caller();
            caller.hangUp();
            caller.awaitCloseQuietly(Duration.ofSeconds(5));
        }
    }

    private void end(String why) {
        ended.complete(why);
    }

    /** The caller hangs up: Twilio sends {@code stop} on the stream and the call is over. */
    public void hangUp() {
        hungUp = true;
        if (!streams.isEmpty()) {
            current().caller().hangUp();
        }
        end("the caller hung up");
    }

    public String callSid() {
        return callSid;
    }

    public Stream current() {
        return streams.get(streams.size() - 1);
    }

    public List<Stream> streams() {
        return List.copyOf(streams);
    }

    /** How each {@code <Dial>} of the call ended ({@code DialCallStatus}), in order. */
    public List<String> dialResults() {
        return List.copyOf(dialResults);
    }

    /** What each {@code <Connect action>} request was answered with (-1: unreachable). */
    public List<Integer> actionStatuses() {
        return List.copyOf(actionStatuses);
    }

    public boolean isOver() {
        return ended.isDone();
    }

    /** Why the call ended; waits up to {@code timeout}. */
    public String awaitEnd(Duration timeout) {
        try {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("call " + callSid + " did not end within " + timeout, e);
        }
    }

    @Override
    public void close() {
        if (!ended.isDone()) {
            hangUp();
        }
        streams.forEach(s -> s.caller().close());
        twilio.shutdownNow();
    }
}
