package dev.switchboard.relay;

import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import dev.switchboard.local.SimulatedPeople;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.TwilioCall;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transfer of a local call rings one of the local stack's simulated people as Twilio would ring a real
 * number: a busy line or a phone nobody answers sends the caller back to the agent on a new stream,
 * with the transfer's result on the record; a person who answers takes the call, and when they hang up
 * the call is over, transferred.
 */
@QuarkusTest
class SimulatedTransferTest extends RelayTestBase {

    static final String FRONT_DESK = "+15556000000";

    @Inject
    CallActions actions;
    @Inject
    SimulatedPeople people;

    @BeforeEach
    void fresh() {
        harness.realtime().speed(4.0);
        harness.realtime().clearRecords();
    }

    CallActionResult transfer(TwilioCall call, String target) {
        return actions.handle(new CallActionRequest(call.callSid(), "transfer", target, null, "the test asks for " + target));
    }

    @Test
    void aBusyLineBringsTheCallerBackAndAPersonWhoAnswersTakesTheCall() {
        TwilioCall call = harness.twilioCall(List.of(Reply.speak("Front desk.", 300)), 4.0, FRONT_DESK).dialing(people.dial());
        await(Duration.ofSeconds(10), () -> call.current().caller().heardMillis() >= 300, "the greeting");

        harness.realtime().script(() -> List.of(Reply.speak("The line is busy. Can I help instead?", 400)));
        CallActionResult busy = transfer(call, "busy");
        assertTrue(busy.ok(), busy.message());
        await(Duration.ofSeconds(10), () -> call.streams().size() == 2, "the caller back on a new stream after the busy line");
        await(Duration.ofSeconds(10), () -> call.current().caller().heardMillis() >= 400, "the agent, back on the line");
        assertEquals(List.of("busy"), call.dialResults());
        CallRecord back = calls.find(call.callSid()).orElseThrow();
        assertTrue(back.outcome().isEmpty(), "the call is live again: " + back.outcome());
        assertEquals("busy", back.transfer().orElseThrow().result().orElseThrow());

        CallActionResult person = transfer(call, "person");
        assertTrue(person.ok(), person.message());
        String why = call.awaitEnd(Duration.ofSeconds(15)); // the person answers, talks (1 s in tests) and hangs up
        assertEquals("hung up by TwiML", why);
        assertEquals(List.of("busy", "completed"), call.dialResults());
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().transfer().orElseThrow().result().isPresent(),
                "the dial's result on the record");
        CallRecord done = calls.find(call.callSid()).orElseThrow();
        assertEquals("transferred", done.outcome().orElseThrow().kind());
        assertEquals("+15550001000", done.outcome().orElseThrow().target().orElseThrow());
        assertEquals("completed", done.transfer().orElseThrow().result().orElseThrow());
        assertEquals(List.of(), harness.realtime().rejected());
    }

    @Test
    void aPhoneNobodyAnswersRingsOutItsTimeoutAndTheCallerIsBack() {
        TwilioCall call = harness.twilioCall(List.of(Reply.speak("Front desk.", 300)), 4.0, FRONT_DESK).dialing(people.dial());
        await(Duration.ofSeconds(10), () -> call.current().caller().heardMillis() >= 300, "the greeting");
        harness.realtime().script(() -> List.of(Reply.speak("Nobody answered. Can I take a message?", 400)));
        long asked = System.nanoTime();
        assertTrue(transfer(call, "nobody").ok());
        await(Duration.ofSeconds(10), () -> call.streams().size() == 2, "the caller back after no answer");
        long rangMs = (System.nanoTime() - asked) / 1_000_000;
        // the profile's 20 s timeout, scaled by 0.05 in tests: 1 s of ringing before Twilio gives up
        assertTrue(rangMs >= 1000, "rang for the dial's timeout first: " + rangMs + " ms");
        assertEquals(List.of("no-answer"), call.dialResults());
        await(Duration.ofSeconds(10), () -> call.current().caller().heardMillis() >= 400, "the agent, back on the line");
        assertEquals("no-answer", calls.find(call.callSid()).orElseThrow().transfer().orElseThrow().result().orElseThrow());
        call.hangUp();
    }
}
