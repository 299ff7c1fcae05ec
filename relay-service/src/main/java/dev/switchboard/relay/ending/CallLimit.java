package dev.switchboard.relay.ending;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The profile's limit on a whole call ({@code maxCallMinutes}), counted from the call record's
 * creation, so a call resumed on another relay keeps its original deadline.
 */
public final class CallLimit {

    private static final Logger LOG = Logger.getLogger(CallLimit.class);

    private final Vertx vertx;
    private long timer;

    /** Arms the limit now; {@code reached} gets the reason once it passes. */
    public CallLimit(Vertx vertx, String callSid, double maxMinutes, Instant createdAt, Clock clock, Consumer<String> reached) {
        this.vertx = vertx;
        long ageMs = Duration.between(createdAt, clock.instant()).toMillis();
        this.timer = vertx.setTimer(Math.max(1, (long) (maxMinutes * 60_000) - ageMs), t -> {
            timer = -1;
            String why = "the call reached its limit of " + maxMinutes + " minutes";
            LOG.infof("call %s: %s", callSid, why);
            reached.accept(why);
        });
    }

    public void cancel() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
