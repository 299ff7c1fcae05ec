package dev.switchboard.local;

import dev.switchboard.simulator.twilio.SimulatedDial;
import dev.switchboard.simulator.twilio.SimulatedDial.Party;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who answers when the local stack's Twilio stand-in dials a transfer: three numbers to try a transfer
 * with from the console (the example profile {@code order-desk} lists them in its directory), and a
 * person at every other number.
 */
@Singleton
public class SimulatedPeople {

    /** A person who answers after one ring and talks for {@code switchboard.local.transfer-talk}. */
    public static final String ANSWERS = "+15550001000";
    /** A busy line. */
    public static final String BUSY = "+15550002000";
    /** Rings until the dial's timeout runs out. */
    public static final String NO_ANSWER = "+15550003000";

    private final SimulatedDial dial;

    public SimulatedPeople(@ConfigProperty(name = "switchboard.local.transfer-talk", defaultValue = "20s") Duration talk,
                           @ConfigProperty(name = "switchboard.local.transfer-ring", defaultValue = "2s") Duration ring,
                           @ConfigProperty(name = "switchboard.local.no-answer-time-scale", defaultValue = "1") double noAnswerScale) {
        this.dial = new SimulatedDial(Map.of(ANSWERS, Party.ANSWERS, BUSY, Party.BUSY, NO_ANSWER, Party.NO_ANSWER),
                ring.toMillis(), talk.toMillis(), noAnswerScale);
    }

    public SimulatedDial dial() {
        return dial;
    }
}
