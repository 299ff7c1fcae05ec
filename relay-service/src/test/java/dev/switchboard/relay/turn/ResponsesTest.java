package dev.switchboard.relay.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.ending.LastWords;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponsesTest {

    final Vertx vertx = Vertx.vertx();
    final List<String> sent = new ArrayList<>();
    final ConversationLog conversation = new ConversationLog();
    final LastWords lastWords = new LastWords(vertx, "CA1", () -> false, () -> false);
    final Responses responses = new Responses(sent::add, conversation, lastWords);

    @AfterEach
    void close() {
        vertx.close();
    }

    private long creates() {
        return sent.stream().filter(e -> e.contains("\"response.create\"")).count();
    }

    @Test
    void oneResponseAtATimeTheRestQueueInOrder() {
        responses.respond("");
        responses.created("r1");
        responses.respond("Say exactly this, and nothing else: one");
        responses.respond("Say exactly this, and nothing else: two");
        assertEquals(1, creates());
        responses.done("r1");
        responses.next();
        assertEquals(2, creates());
        assertTrue(sent.get(sent.size() - 1).contains("one"));
    }

    @Test
    void aFollowUpOwedGoesBeforeQueuedResponses() {
        responses.created("r1");
        responses.respond("Say exactly this, and nothing else: later");
        responses.followUp();
        responses.followUp();
        assertEquals(0, creates());
        responses.done("r1");
        responses.next();
        assertEquals(1, creates());
        assertFalse(sent.get(0).contains("later"), "the follow-up carries no one-off instructions");
    }

    @Test
    void anInterruptedResponseIsCancelledAndItsLateAudioDropped() {
        responses.created("r1");
        responses.cancelForBargeIn();
        assertTrue(sent.get(0).contains("response.cancel"));
        assertTrue(responses.suppressed("r1"));
        assertFalse(responses.suppressed("r2"));
        responses.done("r1");
        assertFalse(responses.suppressed("r1"));
    }

    @Test
    void nothingToCancelWhenNoResponseIsInFlight() {
        responses.cancelForBargeIn();
        assertTrue(sent.isEmpty());
    }

    @Test
    void whatTheModelIsToldIsKeptForTheNextSession() {
        responses.tell("system", "The caller pressed 1.");
        assertEquals(1, sent.size());
        assertEquals("The caller pressed 1.", conversation.recent().get(0).text());
    }

    @Test
    void aResetForgetsEverythingOwed() {
        responses.created("r1");
        responses.respond("queued");
        responses.followUp();
        responses.reset();
        assertFalse(responses.active());
        responses.next();
        assertEquals(0, creates());
    }
}
