package dev.switchboard.local.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.local.LocalStack;
import dev.switchboard.simulator.audio.MuLaw;
import dev.switchboard.simulator.realtime.RealtimeSimulator;
import dev.switchboard.simulator.realtime.Reply;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The console and the browser phone in a real browser: headless Chromium whose fake microphone plays
 * a recording calls the agent from the page, through the relay exactly as Twilio would (signed
 * webhook, token, media stream); the simulated model hears the speech and answers; the page plays the
 * answer, a keypad press reaches the agent as one entry, the transcript shows in the console, and a
 * hang-up from the console ends the call cleanly. Screenshots land in target/screenshots.
 */
@QuarkusTest
class BrowserConsoleTest {

    @Inject
    LocalStack local;
    @Inject
    CallStore calls;
    @TestHTTPResource("/")
    URI http;

    @Test
    void aCallFromTheBrowserPhoneIsHeardAnsweredTypedOnWatchedAndHungUpFromTheConsole() throws Exception {
        RealtimeSimulator realtime = local.realtimeSimulator().orElseThrow();
        realtime.speed(1.0);
        realtime.clearRecords();
        realtime.script(() -> List.of(Reply.speak("Support, how can I help?", 1200),
                Reply.speak("Order 881 ships on Tuesday.", 1500).heard("Where is my order?")));
        Path microphone = microphoneWav();
        Path shots = Path.of("target", "screenshots");
        String page = "http://127.0.0.1:" + http.getPort() + "/#token=" + LocalStack.LOCAL_INTERNAL_TOKEN;

        try (Chromium browser = Chromium.launch(microphone)) {
            browser.open(page);
            browser.await(Duration.ofSeconds(20), "document.getElementById('link').textContent === 'live'"
                    + " && [...document.getElementById('agent').options].some(o => o.value === 'support-desk')", "the console to connect");
            browser.eval("document.getElementById('agent').value = 'support-desk'; document.getElementById('call').click(); true");
            browser.await(Duration.ofSeconds(20), "switchboard.phone() && switchboard.phone().heardSamples > 8000", "the greeting played by the page");
            String callSid = browser.eval("switchboard.phone().callSid").asText();

            browser.await(Duration.ofSeconds(30), "document.getElementById('transcript').textContent.includes('Order 881 ships on Tuesday.')",
                    "the agent's answer to the speech in the transcript");
            assertTrue(browser.eval("document.getElementById('transcript').textContent").asText().contains("caller: Where is my order?"));
            assertTrue(browser.eval("switchboard.phone().sent").asInt() > 100, "the page streamed its microphone");

            browser.eval("for (const k of ['4','2','#']) [...document.querySelectorAll('#keypad button')].find(b => b.textContent === k).click(); true");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (calls.keypad(callSid).entries().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, calls.keypad(callSid).entries().size(), "one keypad entry");
            assertEquals("42", calls.keypad(callSid).entries().get(0).digits());
            browser.await(Duration.ofSeconds(10), "document.getElementById('events').textContent.includes('digits_collected')"
                    + " || document.getElementById('events').textContent.includes('dtmf_received')", "the keypad event in the console");
            assertTrue(browser.eval("switchboard.calls.get('" + callSid + "').events.some(e => e.type === 'usage' && e.output_tokens > 0)")
                    .asBoolean(), "usage updates reach the console");
            browser.screenshot(shots.resolve("console-in-call.png"));

            browser.eval("document.getElementById('note-text').value = 'The caller is a premium customer.';"
                    + " document.getElementById('note').click(); true");
            browser.await(Duration.ofSeconds(10), "switchboard.lastCommand && switchboard.lastCommand.action === 'note'"
                    + " && switchboard.lastCommand.ok", "the note accepted");
            long deadlineNote = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (realtime.events("conversation.item.create").stream().noneMatch(e -> e.json().toString().contains("premium customer"))
                    && System.nanoTime() < deadlineNote) {
                Thread.sleep(50);
            }
            assertTrue(realtime.events("conversation.item.create").stream().anyMatch(e -> e.json().toString().contains("premium customer")),
                    "the note reached the model's conversation");

            browser.eval("document.getElementById('hangup').click(); true");
            browser.await(Duration.ofSeconds(15), "document.getElementById('phone-status').textContent.startsWith('Call ended')",
                    "the page's call to end");
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (calls.find(callSid).orElseThrow().outcome().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            CallRecord record = calls.find(callSid).orElseThrow();
            assertEquals("hung_up", record.outcome().orElseThrow().kind(), record.outcome().toString());
            browser.await(Duration.ofSeconds(10), "document.getElementById('call-facts').textContent.includes('ended')", "the end in the console");
            browser.await(Duration.ofSeconds(10), "switchboard.calls.get('" + callSid + "').events.some(e => e.type === 'call_report'"
                    + " && e.outcome === 'hung_up' && e.transcript.length >= 3 && e.duration_ms > 0)", "the end-of-call report");
            browser.screenshot(shots.resolve("console-after-hang-up.png"));
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (realtime.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, realtime.openConnections(), "the Realtime socket closed with the call");
            assertTrue(browser.console().stream().noneMatch(l -> l.startsWith("exception")), browser.console().toString());
        }
    }

    @Test
    void aTransferFromTheConsoleRingsABusyLineBringsTheCallerBackThenAPersonTakesTheCall() throws Exception {
        RealtimeSimulator realtime = local.realtimeSimulator().orElseThrow();
        realtime.speed(1.0);
        realtime.clearRecords();
        realtime.script(() -> List.of(Reply.speak("Front desk.", 1000)));
        Path shots = Path.of("target", "screenshots");
        String page = "http://127.0.0.1:" + http.getPort() + "/#token=" + LocalStack.LOCAL_INTERNAL_TOKEN;

        try (Chromium browser = Chromium.launch(microphoneWav())) {
            browser.open(page);
            browser.await(Duration.ofSeconds(20), "document.getElementById('link').textContent === 'live'"
                    + " && [...document.getElementById('agent').options].some(o => o.value === 'transfer-desk')", "the console to connect");
            browser.eval("document.getElementById('agent').value = 'transfer-desk'; document.getElementById('call').click(); true");
            browser.await(Duration.ofSeconds(20), "switchboard.phone() && switchboard.phone().heardSamples > 4000", "the greeting played by the page");
            String callSid = browser.eval("switchboard.phone().callSid").asText();
            double heardBefore = browser.eval("switchboard.phone().heardSamples").asDouble();

            realtime.script(() -> List.of(Reply.speak("The line is busy. Can I help instead?", 1000)));
            browser.eval("document.getElementById('transfer-target').value = 'busy'; document.getElementById('transfer').click(); true");
            browser.await(Duration.ofSeconds(15), "switchboard.dial && switchboard.dial.status === 'busy'", "the busy line");
            browser.await(Duration.ofSeconds(15), "switchboard.phone().heardSamples > " + (heardBefore + 4000),
                    "the agent heard again on the page's new stream");
            assertEquals("busy", calls.find(callSid).orElseThrow().transfer().orElseThrow().result().orElseThrow());
            assertTrue(calls.find(callSid).orElseThrow().outcome().isEmpty(), "the call is live again");
            browser.await(Duration.ofSeconds(10), "switchboard.calls.get('" + callSid + "').events.some(e => e.type === 'session_start'"
                    + " && e.transfer_result === 'busy') && !switchboard.calls.get('" + callSid + "').ended", "the console to show the call live again");
            browser.screenshot(shots.resolve("console-after-busy-transfer.png"));

            browser.eval("document.getElementById('transfer-target').value = 'person'; document.getElementById('transfer').click(); true");
            browser.await(Duration.ofSeconds(15), "document.getElementById('phone-status').textContent.includes('answered')",
                    "the person answering, shown on the page");
            browser.screenshot(shots.resolve("console-transfer-answered.png"));
            browser.await(Duration.ofSeconds(15), "document.getElementById('phone-status').textContent.startsWith('Call ended')",
                    "the call to end when the person hangs up");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (calls.find(callSid).orElseThrow().transfer().orElseThrow().result().map(r -> !r.equals("completed")).orElse(true)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            CallRecord record = calls.find(callSid).orElseThrow();
            assertEquals("transferred", record.outcome().orElseThrow().kind());
            assertEquals("completed", record.transfer().orElseThrow().result().orElseThrow());
            assertEquals("completed", local.twilioRestSimulator().orElseThrow().statusOf(callSid));
            assertTrue(browser.console().stream().noneMatch(l -> l.startsWith("exception")), browser.console().toString());
        }
    }

    @Test
    void aBrowserPhoneCallWhosePageNeverOpensItsStreamStillEndsWithAnOutcome() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(http.resolve("/console/phone"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"support-desk\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), "no token, no call");
        HttpResponse<String> made = client.send(HttpRequest.newBuilder(http.resolve("/console/phone"))
                .header("Authorization", "Bearer " + LocalStack.LOCAL_INTERNAL_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"support-desk\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, made.statusCode(), made.body());
        String callSid = new ObjectMapper().readTree(made.body()).path("callSid").asText();
        assertTrue(calls.find(callSid).orElseThrow().outcome().isEmpty());
        // the page closed before opening the stream: past the deadline (2 s in tests) the call ends as Twilio would end it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (calls.find(callSid).orElseThrow().outcome().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(calls.find(callSid).orElseThrow().outcome().isPresent(), "an outcome on the record");
        assertEquals("completed", local.twilioRestSimulator().orElseThrow().statusOf(callSid));
    }

    /** 2 s of quiet, 4 s of a real voice (Asterisk prompts), 30 s of quiet: 16-bit PCM WAV at 8 kHz for the fake microphone. */
    private static Path microphoneWav() throws Exception {
        byte[] mulaw;
        try (InputStream in = BrowserConsoleTest.class.getResourceAsStream("/audio/speech-allison-20s.ulaw")) {
            mulaw = in.readAllBytes();
        }
        byte[] speech = Arrays.copyOfRange(mulaw, 0, 8000 * 4);
        short[] pcm = new short[8000 * 36];
        for (int i = 0; i < speech.length; i++) {
            pcm[8000 * 2 + i] = MuLaw.decode(speech[i]);
        }
        ByteBuffer data = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm) {
            data.putShort(s);
        }
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(data.capacity());
        wav.write(header.array());
        wav.write(data.array());
        Path file = Files.createTempFile("microphone", ".wav");
        Files.write(file, wav.toByteArray());
        return file;
    }
}
