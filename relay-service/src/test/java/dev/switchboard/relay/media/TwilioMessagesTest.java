package dev.switchboard.relay.media;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class TwilioMessagesTest {

    @Test
    void wholePaddedBase64IsAudio() {
        for (int n = 1; n <= 6; n++) {
            String encoded = Base64.getEncoder().encodeToString(new byte[n]);
            assertTrue(TwilioMessages.isBase64(encoded), encoded);
        }
        assertTrue(TwilioMessages.isBase64("/+Az"));
    }

    @Test
    void emptyCutShortOrMisplacedPaddingIsNot() {
        for (String bad : new String[] {"", "abc", "====", "a===", "ab=c", "=abc", "ab\"c", "abcd\\u0041", "abc "}) {
            assertFalse(TwilioMessages.isBase64(bad), bad);
        }
    }
}
