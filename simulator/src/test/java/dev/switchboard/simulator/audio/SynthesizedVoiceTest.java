package dev.switchboard.simulator.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** What espeak-ng writes (16-bit PCM WAV, 22.05 kHz, a stream header with no data size) becomes 8 kHz mu-law. */
class SynthesizedVoiceTest {

    static byte[] wav(int rate, double seconds, double hz, double amplitude, int declaredDataSize) {
        int n = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(declaredDataSize < 0 ? 2 * n : declaredDataSize);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        return b.array();
    }

    @Test
    void aSecondAt22kHzBecomesASecondAt8kHzAtTheSameLevel() throws IOException {
        byte[] mulaw = SynthesizedVoice.toMulaw8k(wav(22050, 1.0, 300, 10000, -1));
        assertTrue(Math.abs(mulaw.length - 8000) <= 1, "length " + mulaw.length);
        double rms = MuLaw.rms(mulaw, 0, mulaw.length);
        assertTrue(Math.abs(rms - 10000 / Math.sqrt(2)) < 600, "rms " + rms); // 300 Hz passes the averaging almost whole
    }

    @Test
    void aStreamedHeaderWithoutADataSizeStillGivesAllTheAudio() throws IOException {
        byte[] mulaw = SynthesizedVoice.toMulaw8k(wav(16000, 0.5, 200, 8000, 0));
        assertEquals(4000, mulaw.length);
    }

    @Test
    void somethingElseIsRefused() {
        assertThrows(IOException.class, () -> SynthesizedVoice.toMulaw8k(new byte[100]));
    }
}
