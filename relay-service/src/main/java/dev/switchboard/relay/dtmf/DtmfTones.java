package dev.switchboard.relay.dtmf;

import dev.switchboard.relay.audio.MuLawCodec;
import java.io.ByteArrayOutputStream;

/**
 * Keypad tones as mu-law audio, for pressing keys on the far end's phone menu: a Twilio media stream
 * has no message for DTMF, so the keys go out in-band. Standard timing (100 ms tone, 100 ms gap),
 * {@code w} = 0.5 s pause and {@code W} = 1 s, the high tone 2 dB above the low one (as telephones send
 * them), at levels every receiver accepts.
 */
public final class DtmfTones {

    public static final String KEYS = "123A456B789C*0#D";
    static final double[] ROWS = {697, 770, 852, 941};
    static final double[] COLS = {1209, 1336, 1477, 1633};
    static final int RATE = 8000;
    static final double LOW_DBFS = -10;
    static final double HIGH_DBFS = -8;

    private DtmfTones() {
    }

    /** True if every character is a key or a pause. */
    public static boolean isValid(String sequence) {
        return sequence != null && !sequence.isEmpty() && sequence.chars().allMatch(c -> KEYS.indexOf(c) >= 0 || c == 'w' || c == 'W');
    }

    public static byte[] generate(String sequence, int toneMs, int gapMs) {
        if (!isValid(sequence)) {
            throw new IllegalArgumentException("DTMF sequence may hold 0-9, *, #, A-D, w and W only: '" + sequence + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (char c : sequence.toCharArray()) {
            if (c == 'w' || c == 'W') {
                silence(out, c == 'w' ? 500 : 1000);
                continue;
            }
            int index = KEYS.indexOf(c);
            tone(out, ROWS[index / 4], COLS[index % 4], toneMs, LOW_DBFS, HIGH_DBFS);
            silence(out, gapMs);
        }
        return out.toByteArray();
    }

    static void tone(ByteArrayOutputStream out, double low, double high, int ms, double lowDbfs, double highDbfs) {
        double a = 32767 * Math.pow(10, lowDbfs / 20);
        double b = 32767 * Math.pow(10, highDbfs / 20);
        int n = ms * RATE / 1000;
        for (int i = 0; i < n; i++) {
            double v = a * Math.sin(2 * Math.PI * low * i / RATE) + b * Math.sin(2 * Math.PI * high * i / RATE);
            out.write(MuLawCodec.encode((int) Math.round(v)));
        }
    }

    static void silence(ByteArrayOutputStream out, int ms) {
        for (int i = 0; i < ms * RATE / 1000; i++) {
            out.write(0xFF);
        }
    }
}
