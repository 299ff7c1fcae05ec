package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.relay.keypad.DigitSpec;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.RecordedEvent;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seed 003: a checked 4-digit patient id with #, then a PIN masked everywhere and kept from the model. */
@QuarkusTest
class CollectDigitsTest extends RelayTestBase {

    @Inject
    RecordedLiveEvents liveEvents;

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<JsonNode> received = new CopyOnWriteArrayList<>();
    static final List<String> logLines = new CopyOnWriteArrayList<>();
    static HttpServer receiver;
    static final Handler LOGS = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logLines.add(String.valueOf(r.getMessage()) + " " + Arrays.toString(r.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 18732), 0);
        receiver.createContext("/clinic-events", exchange -> {
            received.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Logger.getLogger("").addHandler(LOGS);
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        Logger.getLogger("").removeHandler(LOGS);
    }

    static void type(MediaStreamCaller caller, String keys) throws InterruptedException {
        for (char k : keys.toCharArray()) {
            caller.sendDtmf(String.valueOf(k));
            Thread.sleep(60);
        }
    }

    List<String> itemsTexts(RelayHarness.Call call) {
        return new RelayHarness(settings, local, http).realtime().events("conversation.item.create").stream()
                .filter(e -> e.connection() == call.session().id())
                .map(e -> e.json().path("item").path("role").asText() + ": " + e.json().path("item").path("content").path(0).path("text").asText())
                .toList();
    }

    @Test
    void seed003PatientIdIsCheckedAndThePinIsMaskedEverywhere() throws Exception {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
        received.clear();
        logLines.clear();
        RelayHarness.Call call = harness.call(List.of(
                Reply.speak("Clinic, how can I help?", 300),
                Reply.callFunction("collect_digits", "{\"name\":\"patient id\",\"length\":4}").heard("I'd like to book."),
                Reply.speak("Please type your patient id, then pound.", 300),
                Reply.speak("That was too short, please try again.", 300),
                Reply.callFunction("collect_digits", "{\"name\":\"PIN\",\"length\":4,\"secret\":true}"),
                Reply.speak("Now type your PIN.", 300),
                Reply.speak("Thank you, you're verified.", 300)), 4.0, "+15556660000");
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 300, "the greeting");
        caller.play(Audio.concat(Audio.speechLike(500, 51),
                Audio.silence(700))).get();
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 600, "the request for the id");

        type(caller, "123#");
        await(Duration.ofSeconds(5), () -> itemsTexts(call).stream().anyMatch(t -> t.contains("Entry rejected")), "the rejection");
        assertTrue(itemsTexts(call).stream().anyMatch(t -> t.contains("3 digits long; 4 digits are required")), itemsTexts(call).toString());
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 900, "the re-prompt");

        type(caller, "4567#");
        await(Duration.ofSeconds(5), () -> itemsTexts(call).contains("user: Keypad entry for patient id: 4567"), "the id");
        await(Duration.ofSeconds(10), () -> caller.heardMillis() >= 1200, "the request for the PIN, not cut off by the #");
        assertTrue(harness.realtime().events("response.cancel").isEmpty(), "the # after a complete entry interrupts nothing");

        type(caller, "9876#");
        await(Duration.ofSeconds(5), () -> itemsTexts(call).stream().anyMatch(t -> t.contains("gave their PIN")), "the PIN note");
        await(Duration.ofSeconds(5), () -> received.stream().anyMatch(e -> e.path("type").asText().equals("secret_collected")), "the secret event");
        caller.hangUp();
        await(Duration.ofSeconds(3), () -> calls.find(call.callSid()).orElseThrow().outcome().isPresent(), "the end");

        // the PIN reaches the business's own webhook, signed, and nowhere else
        JsonNode secret = received.stream().filter(e -> e.path("type").asText().equals("secret_collected")).findFirst().orElseThrow();
        assertEquals("9876", secret.path("value").asText());
        for (RecordedEvent e : harness.realtime().events()) {
            assertFalse(e.json().toString().contains("9876"), "the model never gets the PIN: " + e.json());
        }
        List<String> stored = calls.keypad(call.callSid()).entries().stream().map(e -> e.digits()).toList();
        assertEquals(List.of("123", "4567", "••••"), stored);
        assertFalse(withoutTimes(calls.find(call.callSid()).orElseThrow().toString()).contains("9876"), "not on the call record");
        received.stream().filter(e -> !e.path("type").asText().equals("secret_collected"))
                .forEach(e -> assertFalse(withoutTimes(e.toString()).contains("9876"), "events mask it: " + e));
        List<String> keys = received.stream().filter(e -> e.path("type").asText().equals("dtmf_received"))
                .map(e -> e.path("digit").asText()).toList();
        // every key is an event (a # after a complete entry is part of it), the PIN's masked; webhooks may arrive in any order
        assertEquals("#1234567••••", keys.stream().sorted().collect(Collectors.joining()), keys.toString());
        List<String> live = liveEvents.of(call.callSid());
        assertTrue(live.stream().anyMatch(e -> e.contains("\"digits_collected\"")), "the live events were recorded: " + live);
        live.forEach(e -> assertFalse(withoutTimes(e).contains("9876"), "live subscribers never get the PIN: " + e));
        logLines.forEach(l -> assertFalse(l.contains("9876"), "logs never carry it: " + l));
        logLines.forEach(l -> assertFalse(l.contains("5556660000"), "logs mask the called number: " + l));
        assertTrue(received.stream().anyMatch(e -> e.path("digits").asText().equals("••••")));
        assertEquals(List.of(), harness.realtime().rejected());
    }

    @Test
    void spokenDigitsAreNormalised() {
        assertEquals("4120", DigitSpec.fromSpeech("It's four one two oh"));
        assertEquals("4120", DigitSpec.fromSpeech("4-1-2-0"));
        assertEquals("19", DigitSpec.fromSpeech("one, nine."));
        assertEquals("", DigitSpec.fromSpeech("I don't know it"));
    }

    /** Timestamps carry nanoseconds, which may hold any four digits: the PIN is looked for everywhere else. */
    static String withoutTimes(String text) {
        return text.replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z", "<time>");
    }
}
