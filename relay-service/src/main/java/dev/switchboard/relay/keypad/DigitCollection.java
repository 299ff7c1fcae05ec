package dev.switchboard.relay.keypad;

import dev.switchboard.relay.turn.Dialogue;
import java.util.Optional;

/**
 * One {@code collect_digits} in progress: the value asked for and the tries left. A value, typed or
 * said, is checked before the model hears anything of it; a secret is never shown to the model, only
 * its length. Says whether the collection is over after each value.
 */
final class DigitCollection {

    /** What became of a value: accepted, rejected with tries left, or rejected for the last time. */
    enum Result { ACCEPTED, RETRY, FAILED }

    private final DigitSpec spec;
    private final boolean forStep;
    private int attemptsLeft;

    DigitCollection(DigitSpec spec, boolean forStep) {
        this.spec = spec;
        this.forStep = forStep;
        this.attemptsLeft = spec.retries() + 1;
    }

    DigitSpec spec() {
        return spec;
    }

    /** The collection belongs to a flow step, which moves on once it succeeds. */
    boolean forStep() {
        return forStep;
    }

    /** Checks {@code digits} and tells the model what it may know of the result. */
    Result offer(String digits, Dialogue dialogue) {
        Optional<String> problem = spec.problem(digits);
        if (problem.isEmpty()) {
            if (spec.secret()) {
                dialogue.tell("system", "The caller gave their " + spec.name() + " (" + digits.length()
                        + " digits). It was passed on securely; you cannot see it and must not ask for it again.");
            } else {
                dialogue.tell("user", "Keypad entry for " + spec.name() + ": " + digits);
                if (spec.confirm()) {
                    dialogue.tell("system", "Read the " + spec.name() + " back digit by digit and ask the caller to confirm it.");
                }
            }
            return Result.ACCEPTED;
        }
        if (--attemptsLeft > 0) {
            dialogue.tell("system", "Entry rejected: " + problem.get() + ". Ask the caller again ("
                    + attemptsLeft + " attempt" + (attemptsLeft == 1 ? "" : "s") + " left).");
            return Result.RETRY;
        }
        dialogue.tell("system", "Collecting the " + spec.name() + " failed: " + problem.get() + ". Offer the caller another way.");
        return Result.FAILED;
    }

    /** What the record and transcripts keep of something the caller said while this collection runs. */
    String kept(String transcript) {
        return spec.secret() ? maskNumbers(transcript) : transcript;
    }

    static String maskNumbers(String text) {
        return text.replaceAll("(?i)\\b(zero|oh|one|two|three|four|five|six|seven|eight|nine)\\b", "•").replaceAll("[0-9]", "•");
    }
}
