package dev.switchboard.relay.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioAppendsTest {

    @Test
    void framesAreJoinedInOrderIntoAppendsOfASecondAtMost() {
        List<Integer> sizes = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        AudioAppends appends = new AudioAppends((base64, bytes) -> {
            byte[] audio = Base64.getDecoder().decode(base64);
            assertEquals(audio.length, bytes, "the byte count goes with the audio (it is billed as audio sent)");
            sizes.add(bytes);
            received.writeBytes(audio);
        });
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int f = 0; f < 120; f++) {
            byte[] frame = new byte[160];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) (f * 7 + i);
            }
            sent.writeBytes(frame);
            appends.add(Base64.getEncoder().encodeToString(frame));
        }
        appends.flush();
        appends.flush(); // nothing left: no empty append

        assertEquals(List.of(8000, 8000, 3200), sizes);
        assertArrayEquals(sent.toByteArray(), received.toByteArray(), "every frame, in order");
    }
}
