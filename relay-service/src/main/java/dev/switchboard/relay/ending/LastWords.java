package dev.switchboard.relay.ending;

import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * An action (a transfer, a hang-up) that must wait until the caller has heard the agent's last words:
 * it is armed when the response carrying those words is done, and runs once Twilio has returned the
 * marks of all the audio sent, or after {@link #DEADLINE_MS} if the marks never come back.
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class LastWords {

    private static final Logger LOG = Logger.getLogger(LastWords.class);
    /** If the marks of a goodbye or handoff never come back, act anyway after this long. */
    public static final long DEADLINE_MS = 15_000;

    private final Vertx vertx;
    private final BooleanSupplier audioUnplayed;
    private final BooleanSupplier callOver;
    private final String callSid;
    private Runnable action;
    private boolean speechRequested;
    private boolean armed;
    private long deadline = -1;

    public LastWords(Vertx vertx, String callSid, BooleanSupplier audioUnplayed, BooleanSupplier callOver) {
        this.vertx = vertx;
        this.callSid = callSid;
        this.audioUnplayed = audioUnplayed;
        this.callOver = callOver;
    }

    /** The action to run after the agent's next words, unless one is already waiting (the first one wins). */
    public void afterNextWords(Runnable next) {
        if (action == null) {
            action = next;
        }
    }

    /** The action to run after a fixed text the caller is about to hear (see {@link #lastWordsRequested}). */
    public void afterText(Runnable next) {
        action = next;
    }

    public boolean waiting() {
        return action != null;
    }

    /** A response that carries the waiting action's words was requested. */
    public void lastWordsRequested() {
        speechRequested = true;
    }

    /** A follow-up response was requested: it carries the last words if an action waits for them. */
    public void followUpRequested() {
        speechRequested = action != null;
    }

    /** A response ended: if it carried the last words, act as soon as they have played. */
    public void responseDone() {
        if (action != null && speechRequested && !armed) {
            armed = true;
            deadline = vertx.setTimer(DEADLINE_MS, t -> {
                deadline = -1;
                if (armed) {
                    LOG.warnf("call %s: the last marks did not come back in %d ms; acting anyway", callSid, DEADLINE_MS);
                    run();
                }
            });
            markPlayed();
        }
    }

    /** A mark came back from Twilio. */
    public void markPlayed() {
        if (armed && !audioUnplayed.getAsBoolean()) {
            run();
        }
    }

    /** The call ended: nothing waits any longer. */
    public void cancel() {
        action = null;
        armed = false;
        cancelDeadline();
    }

    private void run() {
        Runnable next = action;
        action = null;
        armed = false;
        speechRequested = false;
        cancelDeadline();
        if (next != null && !callOver.getAsBoolean()) {
            next.run();
        }
    }

    private void cancelDeadline() {
        if (deadline >= 0) {
            vertx.cancelTimer(deadline);
            deadline = -1;
        }
    }
}
