package dev.switchboard.simulator.twilio;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What Twilio does with a {@code <Dial>}: rings the dialled party and reports how the leg ended to the
 * {@code <Dial action>}, whose TwiML the call then follows. Who is at each number is a table of
 * simulated parties: one that answers and talks for a while before hanging up, a busy line, and one
 * that never answers (the dial's timeout runs out). Numbers not in the table answer.
 *
 * <p>Blocking: run it on the call's own thread. {@code callerGone} is polled, as the caller may hang up
 * while the other leg rings or talks; Twilio then still asks the action (its TwiML is ignored).
 */
public final class SimulatedDial {

    /** Who picks up at a dialled number. */
    public enum Party { ANSWERS, BUSY, NO_ANSWER }

    /** How a dialled leg ended: Twilio's {@code DialCallStatus} and {@code DialCallDuration}. */
    public record Result(String status, long durationSeconds) {
    }

    private static final long POLL_MS = 50;

    private final Map<String, Party> parties;
    private final long ringMs;
    private final long talkMs;
    private final double timeScale;

    /**
     * @param ringMs    how long the party's phone rings before it answers or the line is found busy
     * @param talkMs    how long an answering party stays on the line before hanging up
     * @param timeScale a no-answer waits the dial's timeout times this (tests shorten it)
     */
    public SimulatedDial(Map<String, Party> parties, long ringMs, long talkMs, double timeScale) {
        this.parties = Map.copyOf(parties);
        this.ringMs = ringMs;
        this.talkMs = talkMs;
        this.timeScale = timeScale;
    }

    public Party partyAt(String address) {
        return parties.getOrDefault(address, Party.ANSWERS);
    }

    /** Rings {@code dial}'s party; {@code progress} hears {@code ringing}, {@code answered} and then the result's status. */
    public Result ring(DialVerb dial, BooleanSupplier callerGone, Consumer<String> progress) {
        progress.accept("ringing");
        Party party = partyAt(dial.address());
        Result result;
        if (party == Party.NO_ANSWER) {
            result = wait(Math.round(dial.timeoutSeconds() * 1000 * timeScale), callerGone) ? new Result("canceled", 0)
                    : new Result("no-answer", 0);
        } else if (wait(Math.min(ringMs, dial.timeoutSeconds() * 1000L), callerGone)) {
            result = new Result("canceled", 0);
        } else if (party == Party.BUSY) {
            result = new Result("busy", 0);
        } else {
            progress.accept("answered");
            long answered = System.nanoTime();
            wait(talkMs, callerGone);
            result = new Result("completed", Math.max(1, (System.nanoTime() - answered) / 1_000_000_000L));
        }
        progress.accept(result.status());
        return result;
    }

    /** Waits {@code millis}; true if the caller left first. */
    private static boolean wait(long millis, BooleanSupplier callerGone) {
        long until = System.nanoTime() + millis * 1_000_000L;
        try {
            while (System.nanoTime() < until) {
                if (callerGone.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return callerGone.getAsBoolean();
    }
}
