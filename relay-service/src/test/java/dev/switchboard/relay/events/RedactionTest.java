package dev.switchboard.relay.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tool arguments and results in events: secret-named values masked at any depth, the rest kept, all bounded. */
class RedactionTest {

    @Test
    void secretNamedValuesAreMaskedAndTheRestIsKept() {
        String shown = Redaction.of("{\"order\":\"881\",\"pin\":\"4321\",\"patient\":{\"name\":\"Ana\",\"cardNumber\":\"4111111111111111\"},"
                + "\"items\":[{\"apiKey\":\"sk-1\"}],\"digits\":\"9876#\"}").toString();
        assertEquals("{\"order\":\"881\",\"pin\":\"****\",\"patient\":{\"name\":\"Ana\",\"cardNumber\":\"****\"},"
                + "\"items\":[{\"apiKey\":\"****\"}],\"digits\":\"****\"}", shown);
    }

    @Test
    void textThatIsNotJsonAndLongOutputAreCut() {
        assertEquals("\"plain words\"", Redaction.of("plain words").toString());
        String longResult = "{\"text\":\"" + "x".repeat(5000) + "\"}";
        assertTrue(Redaction.of(longResult).asText().length() <= Redaction.MAX_CHARS + 3);
        assertEquals("{}", Redaction.of("").toString());
    }
}
