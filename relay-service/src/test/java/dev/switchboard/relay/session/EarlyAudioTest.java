package dev.switchboard.relay.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyAudioTest {

    @Test
    void framesGoOutInOrderAndTheOldestGoFirstWhenFull() {
        EarlyAudio early = new EarlyAudio();
        for (int i = 0; i < EarlyAudio.MAX_FRAMES + 3; i++) {
            early.add("f" + i);
        }
        List<String> out = new ArrayList<>();
        assertEquals(3, early.drainTo(out::add));
        assertEquals(EarlyAudio.MAX_FRAMES, out.size());
        assertEquals("f3", out.get(0));
        assertTrue(early.isEmpty());
        assertEquals(0, early.drainTo(out::add), "the count starts again");
    }

    @Test
    void aPreRollReplacesWhatWasBuffered() {
        EarlyAudio early = new EarlyAudio();
        early.add("old");
        early.replaceWith(List.of("a", "b"));
        List<String> out = new ArrayList<>();
        early.drainTo(out::add);
        assertEquals(List.of("a", "b"), out);
    }
}
