package dev.switchboard.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.CallStatus;
import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.Outcome;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.TwilioSigner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Lambda handlers as API Gateway invokes them (HTTP API payload 2.0 events, base64 bodies),
 * against DynamoDB Local. Signatures are made by the simulator's independent signer.
 */
@QuarkusTest
@QuarkusTestResource(DynamoLocalResource.class)
class WebhookHandlersTest {

    @Inject
    TwilioVoiceHandler voice;
    @Inject
    TwilioStatusHandler status;
    @Inject
    TwilioStreamStatusHandler streamStatus;
    @Inject
    CallStore calls;

    static int counter;

    static APIGatewayV2HTTPEvent event(String path, Map<String, String> form, String signature) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRawPath(path);
        e.setRawQueryString("");
        e.setIsBase64Encoded(true); // API Gateway base64-encodes form bodies
        e.setBody(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/x-www-form-urlencoded");
        if (signature != null) {
            headers.put("x-twilio-signature", signature);
        }
        e.setHeaders(headers);
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setDomainName("hooks.example.com");
        e.setRequestContext(context);
        return e;
    }

    static APIGatewayV2HTTPEvent signed(String path, Map<String, String> form) {
        return event(path, form, TwilioSigner.sign(DynamoLocalResource.AUTH_TOKEN, DynamoLocalResource.PUBLIC_BASE + path, form));
    }

    static Map<String, String> incoming(String callSid) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", callSid);
        form.put("AccountSid", "AC" + "2".repeat(32));
        form.put("From", "+15551230000");
        form.put("To", "+15559870000");
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        return form;
    }

    static String newSid() {
        return String.format("CA%032x", 0xF00000 + (++counter));
    }

    @Test
    void voiceWebhookWritesTheCallAndConnectsItToTheRelay() {
        String sid = newSid();
        APIGatewayV2HTTPResponse r = voice.handleRequest(signed("/twilio/voice", incoming(sid)), null);
        assertEquals(200, r.getStatusCode());
        assertEquals("text/xml", r.getHeaders().get("Content-Type"));
        ConnectStream stream = ConnectStream.parse(r.getBody());
        assertEquals("wss://relay.example.com/media-stream", stream.url());
        assertEquals(DynamoLocalResource.PUBLIC_BASE + "/twilio/stream-status", stream.statusCallback());
        String token = stream.parameters().get("token");
        assertTrue(token.length() >= 40);

        CallRecord call = calls.find(sid).orElseThrow();
        assertEquals(CallStatus.RINGING, call.status());
        assertEquals("default", call.agent());
        assertFalse(call.streamTokenHash().contains(token), "only the token's hash is stored");
    }

    @Test
    void badOrMissingSignatureIsRefusedAndWritesNothing() {
        String sid = newSid();
        APIGatewayV2HTTPResponse missing = voice.handleRequest(event("/twilio/voice", incoming(sid), null), null);
        assertEquals(403, missing.getStatusCode());
        String wrong = TwilioSigner.sign("not-the-token", DynamoLocalResource.PUBLIC_BASE + "/twilio/voice", incoming(sid));
        APIGatewayV2HTTPResponse forged = voice.handleRequest(event("/twilio/voice", incoming(sid), wrong), null);
        assertEquals(403, forged.getStatusCode());
        assertTrue(calls.find(sid).isEmpty());

        // a valid signature over different parameters does not carry over
        Map<String, String> tampered = incoming(sid);
        String good = TwilioSigner.sign(DynamoLocalResource.AUTH_TOKEN, DynamoLocalResource.PUBLIC_BASE + "/twilio/voice", tampered);
        tampered.put("To", "+15550000000");
        assertEquals(403, voice.handleRequest(event("/twilio/voice", tampered, good), null).getStatusCode());
        assertTrue(calls.find(sid).isEmpty());
    }

    @Test
    void statusCallbacksAreIdempotentAndNeverGoBackwards() {
        String sid = newSid();
        voice.handleRequest(signed("/twilio/voice", incoming(sid)), null);
        Map<String, String> completed = new LinkedHashMap<>(incoming(sid));
        completed.put("CallStatus", "completed");
        completed.put("CallDuration", "61");
        completed.put("Timestamp", "Sat, 21 Nov 2026 10:01:01 +0000");
        Map<String, String> answered = new LinkedHashMap<>(incoming(sid));
        answered.put("CallStatus", "in-progress");
        answered.put("Timestamp", "Sat, 21 Nov 2026 10:00:00 +0000");

        assertEquals(204, status.handleRequest(signed("/twilio/status", completed), null).getStatusCode());
        assertEquals(204, status.handleRequest(signed("/twilio/status", answered), null).getStatusCode()); // late
        assertEquals(204, status.handleRequest(signed("/twilio/status", completed), null).getStatusCode()); // retried
        CallRecord call = calls.find(sid).orElseThrow();
        assertEquals(CallStatus.COMPLETED, call.status());
        assertEquals(61L, call.durationSeconds().orElseThrow());
        assertEquals("2026-11-21T10:01:01Z", call.endedAt().orElseThrow().toString());
        assertEquals("completed", call.outcome().orElseThrow().kind(), "a call that ended before any relay took it has an outcome");
    }

    @Test
    void theFinalStatusNeverOverridesTheOutcomeAlreadyRecorded() {
        String sid = newSid();
        voice.handleRequest(signed("/twilio/voice", incoming(sid)), null);
        calls.finish(sid, new Outcome("hung_up", "the agent said goodbye", Optional.empty()), Instant.now());
        Map<String, String> completed = new LinkedHashMap<>(incoming(sid));
        completed.put("CallStatus", "completed");
        assertEquals(204, status.handleRequest(signed("/twilio/status", completed), null).getStatusCode());
        assertEquals("hung_up", calls.find(sid).orElseThrow().outcome().orElseThrow().kind());

        String busy = newSid();
        voice.handleRequest(signed("/twilio/voice", incoming(busy)), null);
        Map<String, String> noAnswer = new LinkedHashMap<>(incoming(busy));
        noAnswer.put("CallStatus", "no-answer");
        assertEquals(204, status.handleRequest(signed("/twilio/status", noAnswer), null).getStatusCode());
        assertEquals(new Outcome("failed", "call no-answer", Optional.empty()), calls.find(busy).orElseThrow().outcome().orElseThrow());
    }

    @Test
    void streamStatusIsRecordedOnceAndUnknownCallsAreReported() {
        String sid = newSid();
        voice.handleRequest(signed("/twilio/voice", incoming(sid)), null);
        Map<String, String> started = new LinkedHashMap<>();
        started.put("AccountSid", "AC" + "2".repeat(32));
        started.put("CallSid", sid);
        started.put("StreamSid", "MZ" + "3".repeat(32));
        started.put("StreamEvent", "stream-started");
        started.put("Timestamp", "2026-11-21T10:00:01Z");
        assertEquals(204, streamStatus.handleRequest(signed("/twilio/stream-status", started), null).getStatusCode());
        started.put("Timestamp", "2026-11-21T10:00:09Z");
        assertEquals(204, streamStatus.handleRequest(signed("/twilio/stream-status", started), null).getStatusCode());
        assertEquals("2026-11-21T10:00:01Z", calls.find(sid).orElseThrow().streamEvents().get("stream-started").toString());

        started.put("CallSid", newSid());
        assertEquals(404, streamStatus.handleRequest(signed("/twilio/stream-status", started), null).getStatusCode());
    }
}
