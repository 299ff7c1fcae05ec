package dev.switchboard.relay.ending;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LastWordsTest {

    final Vertx vertx = Vertx.vertx();
    final AtomicBoolean unplayed = new AtomicBoolean();
    final AtomicBoolean over = new AtomicBoolean();
    final AtomicInteger ran = new AtomicInteger();
    final LastWords lastWords = new LastWords(vertx, "CA1", unplayed::get, over::get);

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void theActionWaitsUntilTheWordsHaveBeenHeard() {
        lastWords.afterNextWords(ran::incrementAndGet);
        lastWords.followUpRequested();
        unplayed.set(true);
        lastWords.responseDone();
        assertEquals(0, ran.get(), "audio still queued at Twilio");
        unplayed.set(false);
        lastWords.markPlayed();
        assertEquals(1, ran.get());
        lastWords.markPlayed();
        assertEquals(1, ran.get(), "once");
    }

    @Test
    void aResponseThatDidNotCarryTheWordsDoesNotArmIt() {
        lastWords.afterNextWords(ran::incrementAndGet);
        lastWords.responseDone(); // the response in flight when the tool ran, not the goodbye
        lastWords.markPlayed();
        assertEquals(0, ran.get());
        lastWords.followUpRequested();
        lastWords.responseDone();
        assertEquals(1, ran.get());
    }

    @Test
    void theFirstActionWins() {
        AtomicInteger second = new AtomicInteger();
        lastWords.afterNextWords(ran::incrementAndGet);
        lastWords.afterNextWords(second::incrementAndGet);
        lastWords.lastWordsRequested();
        lastWords.responseDone();
        assertEquals(1, ran.get());
        assertEquals(0, second.get());
    }

    @Test
    void nothingRunsOnceTheCallIsOver() {
        lastWords.afterNextWords(ran::incrementAndGet);
        lastWords.lastWordsRequested();
        over.set(true);
        lastWords.responseDone();
        assertEquals(0, ran.get());
    }
}
