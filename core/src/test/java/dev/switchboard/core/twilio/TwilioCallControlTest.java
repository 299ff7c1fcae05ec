package dev.switchboard.core.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.twilio.exception.ApiException;
import dev.switchboard.simulator.twilio.TwilioRestSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official SDK, pointed at the REST simulator through the base-URL client. */
class TwilioCallControlTest {

    static final String SID = "AC" + "7".repeat(32);
    static TwilioRestSimulator twilio;
    static TwilioCallControl control;

    @BeforeAll
    static void start() {
        twilio = new TwilioRestSimulator(SID, "rest-token").start(0);
        control = new TwilioCallControl(SID, "rest-token", twilio.baseUrl());
    }

    @AfterAll
    static void stop() {
        twilio.close();
    }

    @Test
    void hangUpCompletesTheCallOnceAndAnAlreadyEndedCallIsNotAnError() {
        String call = twilio.registerCall(twilio.newCallSid(), "+15550001111", "+15550002222", "inbound");
        assertTrue(control.hangUp(call));
        assertEquals("completed", twilio.statusOf(call));
        assertFalse(control.hangUp(call), "20404: already over");
        assertEquals(2, twilio.requestsFor(call).size());
        assertEquals("completed", twilio.requestsFor(call).get(0).form().get("Status"));
        assertTrue(twilio.requestsFor(call).get(0).authorized());
    }

    @Test
    void redirectSendsTheTwimlAndUnknownCallsAreReported() {
        String call = twilio.registerCall(twilio.newCallSid(), "+15550001111", "+15550002222", "inbound");
        String dial = "<Response><Dial>+15550003333</Dial></Response>";
        assertTrue(control.redirect(call, dial));
        assertEquals(dial, twilio.requestsFor(call).get(0).form().get("Twiml"));
        assertFalse(control.redirect("CA" + "9".repeat(32), dial));
    }

    @Test
    void wrongCredentialsAreAnError() {
        TwilioCallControl wrong = new TwilioCallControl(SID, "not-the-token", twilio.baseUrl());
        String call = twilio.registerCall(twilio.newCallSid(), "+15550001111", "+15550002222", "inbound");
        ApiException e = assertThrows(ApiException.class, () -> wrong.hangUp(call));
        assertEquals(20003, e.getCode());
        assertEquals("in-progress", twilio.statusOf(call));
    }
}
