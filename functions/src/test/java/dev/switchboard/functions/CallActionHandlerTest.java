package dev.switchboard.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.call.StreamClaim;
import dev.switchboard.core.call.StreamTokens;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code call-action} as Lambda invokes it, against DynamoDB Local and the Twilio REST simulator. */
@QuarkusTest
@QuarkusTestResource(DynamoLocalResource.class)
class CallActionHandlerTest {

    @Inject
    CallActionHandler handler;
    @Inject
    TwilioVoiceHandler voice;
    @Inject
    CallStore calls;

    /** A call as the voice webhook leaves it, registered at the (simulated) Twilio. */
    String liveCall(String to) {
        String sid = TwilioRestSimulator.newCallSid(new java.security.SecureRandom());
        DynamoLocalResource.twilio.registerCall(sid, "+15551230000", to, "inbound");
        Map<String, String> form = WebhookHandlersTest.incoming(sid);
        form.put("To", to);
        String twiml = voice.handleRequest(WebhookHandlersTest.signed("/twilio/voice", form), null).getBody();
        String token = ConnectStream.parse(twiml).parameters().get("token");
        assertTrue(calls.claimStream(new StreamClaim(sid, StreamTokens.hash(token), "MZ" + "4".repeat(32),
                "http://127.0.0.1:9"), Instant.now()).accepted());
        return sid;
    }

    @Test
    void transferDialsTheDirectoryNumberAndRecordsIt() {
        String sid = liveCall("+15557770000");
        CallActionResult r = handler.handleRequest(new CallActionRequest(sid, "transfer", "support", null, "escalation"), null);
        assertTrue(r.ok(), r.message());
        var requests = DynamoLocalResource.twilio.requestsFor(sid);
        assertEquals(1, requests.size());
        assertTrue(requests.get(0).form().get("Twiml").contains("<Number>+15550104444</Number>"));
        assertEquals("transferred", calls.find(sid).orElseThrow().outcome().orElseThrow().kind());
    }

    @Test
    void hangupEndsTheCallOnceAndThenReportsItOver() {
        String sid = liveCall("+15559870000");
        assertTrue(handler.handleRequest(new CallActionRequest(sid, "hangup", null, null, "done"), null).ok());
        assertEquals("completed", DynamoLocalResource.twilio.statusOf(sid));
        CallActionResult again = handler.handleRequest(new CallActionRequest(sid, "hangup", null, null, null), null);
        assertFalse(again.ok());
        assertEquals(1, DynamoLocalResource.twilio.requestsFor(sid).size());
    }

    @Test
    void badRequestsGetClearErrors() {
        assertTrue(handler.handleRequest(new CallActionRequest("CA" + "0".repeat(32), "hangup", null, null, null), null)
                .message().startsWith("unknown call"));
        assertTrue(handler.handleRequest(new CallActionRequest(null, "hangup", null, null, null), null).message().contains("callSid"));
        String sid = liveCall("+15559870000");
        assertTrue(handler.handleRequest(new CallActionRequest(sid, "dance", null, null, null), null).message().contains("action"));
        assertTrue(handler.handleRequest(new CallActionRequest(sid, "transfer", "support", null, null), null)
                .message().contains("transfer directory"), "the default agent has no directory");
        CallActionResult say = handler.handleRequest(new CallActionRequest(sid, "say", null, "hello", null), null);
        assertFalse(say.ok());
        assertTrue(say.message().contains("could not be reached"), say.message());
    }
}
