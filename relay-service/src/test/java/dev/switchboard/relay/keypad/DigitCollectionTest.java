package dev.switchboard.relay.keypad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.turn.Dialogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigitCollectionTest {

    /** Records what the model is told. */
    static final class Told implements Dialogue {
        final List<String> items = new ArrayList<>();

        @Override
        public void tell(String role, String text) {
            items.add(role + ": " + text);
        }

        @Override
        public void respond(String instructions) {
        }

        @Override
        public void followUp() {
        }

        @Override
        public void sayThen(String text, Runnable action) {
        }
    }

    static DigitSpec pin(int retries, boolean secret) {
        return new DigitSpec("PIN", 4, 4, "#", 3000, Optional.empty(), retries, false, secret);
    }

    @Test
    void aSecretIsNeverShownToTheModel() {
        Told told = new Told();
        assertEquals(DigitCollection.Result.ACCEPTED, new DigitCollection(pin(1, true), false).offer("4821", told));
        assertEquals(1, told.items.size());
        assertFalse(told.items.get(0).contains("4821"));
        assertTrue(told.items.get(0).contains("4 digits"));
    }

    @Test
    void aRejectedValueCountsItsTriesDown() {
        Told told = new Told();
        DigitCollection collection = new DigitCollection(pin(1, false), false);
        assertEquals(DigitCollection.Result.RETRY, collection.offer("12", told));
        assertTrue(told.items.get(0).contains("1 attempt left"), told.items.get(0));
        assertEquals(DigitCollection.Result.FAILED, collection.offer("12", told));
        assertTrue(told.items.get(1).contains("failed"));
    }

    @Test
    void numbersSaidAloudAreMaskedOnlyForSecrets() {
        assertEquals("it is • • •... no, •", new DigitCollection(pin(1, true), false).kept("it is four one 7... no, nine"));
        assertEquals("it is four one", new DigitCollection(pin(1, false), false).kept("it is four one"));
    }
}
