package dev.switchboard.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.HoldUsage;
import dev.switchboard.core.call.TranscriptLine;
import dev.switchboard.core.call.Usage;
import dev.switchboard.core.config.Settings;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.audio.Voice;
import dev.switchboard.simulator.realtime.RealtimeSimulator;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import dev.switchboard.simulator.twilio.WebhookPoster;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code ./run demo}: one scripted phone call through the whole local stack (signed voice webhook,
 * TwiML, media stream, relay, Realtime session, DynamoDB record), then its timeline: who said what,
 * the events on both sockets, the barge-in, the tool call, token usage and the outcome.
 */
@Singleton
public class DemoCall {

    private final boolean demo;
    private final int port;
    private final Settings settings;
    private final LocalStack local;
    private final CallStore calls;
    private final List<String[]> timeline = new ArrayList<>(); // {nanos, who, what}
    private long t0;

    public DemoCall(@ConfigProperty(name = "switchboard.demo", defaultValue = "false") boolean demo,
                    @ConfigProperty(name = "quarkus.http.port") int port,
                    Settings settings, LocalStack local, CallStore calls) {
        this.demo = demo;
        this.port = port;
        this.settings = settings;
        this.local = local;
        this.calls = calls;
    }

    void onStart(@Observes StartupEvent event) {
        if (!demo) {
            return;
        }
        Thread t = new Thread(() -> {
            int code = 0;
            try {
                run(System.out);
            } catch (Exception e) {
                System.err.println("demo failed: " + e);
                code = 1;
            }
            Quarkus.asyncExit(code);
        }, "switchboard-demo");
        t.start();
    }

    void run(PrintStream out) throws Exception {
        Optional<RealtimeSimulator> sim = local.realtimeSimulator();
        sim.ifPresent(s -> {
            s.speed(1.0);
            s.voice(Voice.SPEECH_LIKE); // the timeline waits for each reply's length as scripted; nobody listens

            s.script(() -> List.of(
                    Reply.speak("Hello, you've reached Switchboard. How can I help?", 2400),
                    Reply.callFunction("get_current_time", "{}").heard("What time is it where you are?"),
                    Reply.speak("It's just after three in the afternoon, UTC.", 2200),
                    Reply.callFunction("order_status", "{\"order\":\"881\"}").heard("Where is my order 881?"),
                    Reply.speak("Order 881 has shipped with UPS and arrives tomorrow before noon.", 3000),
                    Reply.speak("Our opening hours are nine to five on weekdays, and on Saturdays we open at ten, "
                            + "and on public holidays we follow a special schedule that", 6000).heard("And when are you open?"),
                    Reply.speak("Of course. Goodbye!", 1400).heard("Thanks, that's all.")));
        });
        Vertx vertx = local.simulatorVertx().orElseThrow();
        String callSid = TwilioRestSimulator.newCallSid(new java.security.SecureRandom());
        local.twilioRestSimulator().ifPresent(t -> t.registerCall(callSid, "+15551230000", "+15559870000", "inbound"));
        URI base = URI.create("http://localhost:" + port);
        t0 = System.nanoTime();

        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", settings.twilioAccountSid());
        form.put("CallSid", callSid);
        form.put("From", "+15551230000");
        form.put("To", "+15559870000");
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        note("twilio", "POST /twilio/voice (signed) for " + callSid);
        HttpResponse<String> answer = new WebhookPoster(settings.twilioAuthToken())
                .post(base.resolve("/twilio/voice"), settings.publicBaseUrl() + "/twilio/voice", form, null);
        note("switchboard", answer.statusCode() + " TwiML <Connect><Stream> with a one-time stream token");
        ConnectStream twiml = ConnectStream.parse(answer.body());

        MediaStreamCaller caller = new MediaStreamCaller(vertx, callSid, 1.0);
        long[] lastAgentAudio = {0};
        caller.onMessage(m -> onTwilioMessage(m, lastAgentAudio));
        caller.connect(URI.create("ws://localhost:" + port + "/media-stream"), twiml.parameters());
        note("twilio", "media stream open: connected, start");

        waitHeard(caller, 2400);
        note("caller", "speaks for 1.2 s (\"What time is it where you are?\")");
        caller.play(Audio.concat(Audio.speechLike(1200, 1), Audio.silence(800))).get();
        waitHeard(caller, 2400 + 2200);
        note("caller", "asks where order 881 is (the agent's own tool, served by the local stack)");
        caller.play(Audio.concat(Audio.speechLike(1100, 4), Audio.silence(800))).get();
        waitHeard(caller, 2400 + 2200 + 3000);
        note("caller", "asks about opening hours");
        caller.play(Audio.concat(Audio.speechLike(1000, 2), Audio.silence(800))).get();
        waitHeard(caller, 2400 + 2200 + 3000 + 2500);
        note("caller", "interrupts the agent 2.5 s into its answer");
        caller.play(Audio.concat(Audio.speechLike(900, 3), Audio.silence(800))).get();
        Thread.sleep(2500);
        note("caller", "hangs up");
        caller.hangUp();
        caller.awaitClose(Duration.ofSeconds(5));
        Thread.sleep(500);

        sim.ifPresent(s -> s.events().stream()
                .filter(e -> !e.type().equals("input_audio_buffer.append"))
                .forEach(e -> timeline.add(new String[] {Long.toString(e.atNanos()), "relay→openai", describe(e)})));
        print(out, callSid);
    }

    /** Notes the first agent audio of each reply (a gap of half a second starts a new one) and every clear. */
    private void onTwilioMessage(JsonNode m, long[] lastAgentAudio) {
        long now = System.nanoTime();
        switch (m.path("event").asText()) {
            case "media" -> {
                if (now - lastAgentAudio[0] > 500_000_000L) {
                    note("relay→twilio", "agent audio starts (media frames, a named mark every ~100 ms of audio)");
                }
                lastAgentAudio[0] = now;
            }
            case "clear" -> note("relay→twilio", "clear: the caller stops hearing the agent at once");
            default -> { }
        }
    }

    private static String describe(RecordedEvent e) {
        JsonNode j = e.json();
        return switch (e.type()) {
            case "session.update" -> "session.update: audio/pcmu both ways, server VAD, voice "
                    + j.path("session").path("audio").path("output").path("voice").asText() + ", "
                    + j.path("session").path("tools").size() + " tool(s)";
            case "conversation.item.truncate" -> "conversation.item.truncate at " + j.path("audio_end_ms").asText()
                    + " ms: the model forgets what the caller never heard";
            case "conversation.item.create" -> "function_call_output " + j.path("item").path("output").asText();
            case "response.create" -> j.has("response") ? "response.create (greeting)" : "response.create";
            default -> e.type();
        };
    }

    private void print(PrintStream out, String callSid) {
        timeline.sort(Comparator.comparingLong(a -> Long.parseLong(a[0])));
        out.println();
        out.println("=== Switchboard demo call " + callSid + " ===");
        for (String[] line : timeline) {
            long ms = (Long.parseLong(line[0]) - t0) / 1_000_000;
            out.printf("%6d ms  %-13s %s%n", ms, line[1], line[2]);
        }
        CallRecord record = calls.find(callSid).orElseThrow();
        out.println();
        out.println("Transcript (from the call record in DynamoDB):");
        for (TranscriptLine l : record.transcript()) {
            out.printf("  %-7s %s%n", l.speaker() + ":", l.text());
        }
        Usage u = record.usage();
        out.println();
        out.printf("Usage: %d responses, %d input tokens (%d audio, %d text), %d output tokens (%d audio, %d text), "
                        + "%.1f s of caller audio sent to the model%n", u.responses(), u.inputTokens(), u.inputAudioTokens(),
                u.inputTextTokens(), u.outputTokens(), u.outputAudioTokens(), u.outputTextTokens(), u.audioMillisSent() / 1000.0);
        HoldUsage h = record.hold();
        out.printf("Hold: %d holds, %.1f s on hold with the model off, %d wakes (%d false, %.1f s of audio; %d on a socket"
                        + " already open), %d repeated announcements and %d sung phrases ignored, about $%.4f not spent on hold"
                        + " audio%n", h.holds(), h.heldMillis() / 1000.0, h.wakes(), h.falseWakes(), h.wakeAudioMillis() / 1000.0,
                h.warmWakes(), h.repeatsIgnored(), h.sungIgnored(), h.avoidedUsd());
        out.println("Outcome: " + record.outcome().map(o -> o.kind() + " (" + o.reason() + ")").orElse("(none yet)"));
        out.println();
    }

    private void waitHeard(MediaStreamCaller caller, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (caller.heardMillis() < millis && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private void note(String who, String what) {
        timeline.add(new String[] {Long.toString(System.nanoTime()), who, what});
    }
}
