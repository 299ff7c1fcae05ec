package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.call.SessionRegistry;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input from either side: a broken frame is ignored and the call goes on, a stream that cannot
 * prove it belongs to a call is refused, and nothing of it reaches the other calls of the relay.
 */
@QuarkusTest
class BadInputTest extends RelayTestBase {

    @Inject
    SessionRegistry sessions;

    @BeforeEach
    void setUp() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
    }

    static byte[] utterance(long seed) {
        return Audio.concat(Audio.speechLike(500, seed), Audio.silence(700));
    }

    @Test
    void malformedFramesInALiveCallAreIgnoredAndTheCallGoesOn() throws Exception {
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello.", 300), Reply.speak("Still here.", 400)), 4.0);
        MediaStreamCaller caller = call.caller();
        await(Duration.ofSeconds(5), () -> caller.heardMillis() >= 300, "the greeting");
        caller.sendRawText("{not json");
        caller.sendRawText("{\"event\":\"teleport\"}");
        caller.sendRawText("{\"event\":\"media\",\"streamSid\":\"" + caller.streamSid() + "\"}");
        caller.sendRawText("{\"event\":\"media\",\"media\":{\"payload\":\"\\\"},\\\"x\\\":\\\"\"}}");
        caller.sendRawText("{\"event\":\"mark\",\"mark\":{}}");
        for (String payload : new String[] {"", "abc", "====", "ab=c"}) { // not whole, padded base64: not audio
            caller.sendRawText("{\"event\":\"media\",\"media\":{\"payload\":\"" + payload + "\"}}");
        }
        caller.sendRawText("[1,2,3]");
        caller.sendRawBinary(new byte[] {1, 2, 3});
        caller.play(utterance(11)).get();
        await(Duration.ofSeconds(5), () -> caller.heardMillis() >= 700, "the reply after the bad frames");
        assertFalse(caller.isClosed());
        assertEquals(List.of(), harness.realtime().rejected(), "no malformed input was passed on to the model");
        caller.hangUp();
    }

    @Test
    void aSocketThatNeverSendsStartIsClosedAndCounted() throws Exception {
        long before = sessions.closedWithoutStartCount();
        MediaStreamCaller silent = harness.rawCaller(RelayHarness.newCallSid());
        assertEquals(1008, silent.awaitClose(Duration.ofSeconds(10)), "closed with a policy violation");
        assertEquals(before + 1, sessions.closedWithoutStartCount());
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(http.resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(health.body().contains("\"closedWithoutStart\":" + (before + 1)), health.body());
    }

    @Test
    void streamsThatCannotProveTheyBelongToACallAreRefused() throws Exception {
        // unknown CallSid with a made-up token
        MediaStreamCaller stranger = harness.caller(RelayHarness.newCallSid(), 1.0)
                .connect(harness.mediaStreamUrl(), Map.of("token", "made-up"));
        assertEquals(1008, stranger.awaitClose(Duration.ofSeconds(5)));

        // no token at all
        MediaStreamCaller noToken = harness.caller(RelayHarness.newCallSid(), 1.0).connect(harness.mediaStreamUrl(), Map.of());
        assertEquals(1008, noToken.awaitClose(Duration.ofSeconds(5)));

        // a real call's token, replayed on a second stream
        RelayHarness.Call call = harness.call(List.of(Reply.speak("Hello.", 300)), 4.0);
        int setUpBefore = harness.realtime().events("session.update").size();
        long audioBefore = harness.realtime().audioBytesReceived();
        MediaStreamCaller replay = harness.caller(call.callSid(), 1.0).connect(harness.mediaStreamUrl(), call.twiml().parameters());
        replay.play(Audio.silence(200));
        assertEquals(1008, replay.awaitClose(Duration.ofSeconds(5)));
        // the socket opened alongside the claim is sent nothing and closed
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == 1, "the refused stream's early socket to close");
        assertEquals(setUpBefore, harness.realtime().events("session.update").size(), "a refused stream never sets up a Realtime session");
        assertEquals(audioBefore, harness.realtime().audioBytesReceived(), "nor sends it audio");
        assertFalse(call.caller().isClosed(), "the real call is untouched");

        // the real token for another call does not open this one
        RelayHarness.Call other = harness.call(List.of(Reply.speak("Hello.", 300)), 4.0);
        MediaStreamCaller crossed = harness.caller(RelayHarness.newCallSid(), 1.0)
                .connect(harness.mediaStreamUrl(), other.twiml().parameters());
        assertEquals(1008, crossed.awaitClose(Duration.ofSeconds(5)));
        call.caller().hangUp();
        other.caller().hangUp();
    }

    @Test
    void framesBeforeStartAndOversizedFramesDoNotDisturbOtherCalls() throws Exception {
        RelayHarness.Call live = harness.call(List.of(Reply.speak("Hello.", 300), Reply.speak("Fine.", 400)), 4.0);
        await(Duration.ofSeconds(5), () -> live.caller().heardMillis() >= 300, "the greeting");

        MediaStreamCaller early = harness.rawCaller(RelayHarness.newCallSid());
        early.sendRawText("{\"event\":\"media\",\"media\":{\"payload\":\"//8=\"}}");
        early.sendRawText("{\"event\":\"mark\",\"mark\":{\"name\":\"m1\"}}");
        Thread.sleep(200);
        assertFalse(early.isClosed(), "frames before start are ignored, the socket may still start");

        MediaStreamCaller huge = harness.rawCaller(RelayHarness.newCallSid());
        char[] big = new char[10 * 1024 * 1024];
        Arrays.fill(big, 'A');
        huge.sendRawText("{\"event\":\"media\",\"media\":{\"payload\":\"" + new String(big) + "\"}}");
        // Netty drops a connection whose frame exceeds the limit (1009 or no close frame at all): either way it is gone.
        int code = huge.awaitClose(Duration.ofSeconds(10));
        assertTrue(code == 1009 || code == -1, "a 10 MB frame closes that socket, got " + code);

        live.caller().play(utterance(12)).get();
        await(Duration.ofSeconds(5), () -> live.caller().heardMillis() >= 700, "the live call's reply");
        assertFalse(live.caller().isClosed());
        early.close();
        live.caller().hangUp();
    }

    @Test
    void webhooksWithoutAValidSignatureAreRefusedAndWriteNothing() {
        String sid = RelayHarness.newCallSid();
        HttpResponse<String> missing = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(sid), "");
        assertEquals(403, missing.statusCode());
        HttpResponse<String> wrong = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(sid), "bm90IGEgc2lnbmF0dXJl");
        assertEquals(403, wrong.statusCode());
        assertTrue(calls.find(sid).isEmpty());
        HttpResponse<String> good = harness.postWebhook("/twilio/voice", RelayHarness.inboundForm(sid), null);
        assertEquals(200, good.statusCode());
        assertTrue(good.body().endsWith("</Connect></Response>"), "nothing after </Connect>: " + good.body());
        assertTrue(calls.find(sid).isPresent());
    }
}
