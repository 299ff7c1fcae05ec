package dev.switchboard.relay.keypad;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.keypad.KeyFilter.Source;
import org.junit.jupiter.api.Test;

class KeyFilterTest {

    static final long MS = 1_000_000L;
    final KeyFilter filter = new KeyFilter();

    @Test
    void aKeyReportedAsAnEventAndHeardAsAToneIsOnePress() {
        assertTrue(filter.accept('5', Source.EVENT, 0));
        assertFalse(filter.accept('5', Source.TONE, 120 * MS));
    }

    @Test
    void theSameKeyTwiceFromOneSourceIsTwoPresses() {
        assertTrue(filter.accept('5', Source.EVENT, 0));
        assertTrue(filter.accept('5', Source.EVENT, 120 * MS));
    }

    @Test
    void theSameKeyFromTheOtherSourceAfterTheWindowIsANewPress() {
        assertTrue(filter.accept('5', Source.EVENT, 0));
        assertTrue(filter.accept('5', Source.TONE, KeyFilter.SAME_KEY_WINDOW_NANOS + MS));
    }

    @Test
    void aTerminatorJustAfterACompleteEntryBelongsToIt() {
        assertTrue(filter.accept('4', Source.EVENT, 0));
        filter.swallowNext("#", 0);
        assertFalse(filter.accept('#', Source.EVENT, 500 * MS));
        assertTrue(filter.accept('#', Source.EVENT, 900 * MS), "only the one terminator is swallowed");
    }

    @Test
    void aLateTerminatorStartsTheNextEntry() {
        filter.swallowNext("#", 0);
        assertTrue(filter.accept('#', Source.EVENT, KeyFilter.SWALLOW_TERMINATOR_NANOS + MS));
    }
}
