package dev.switchboard.simulator.audio;

/** G.711 mu-law, the only audio format a Twilio media stream carries (8 kHz, mono, one byte a sample). */
public final class MuLaw {

    public static final int SAMPLE_RATE = 8000;
    public static final int BYTES_PER_MS = 8;
    /** A mu-law byte of digital silence. */
    public static final byte SILENCE = (byte) 0xFF;

    private static final short[] DECODE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            int u = ~i & 0xFF;
            int t = ((u & 0x0F) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            DECODE[i] = (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
        }
    }

    private MuLaw() {
    }

    public static short decode(byte b) {
        return DECODE[b & 0xFF];
    }

    public static byte encode(int sample) {
        int s = Math.max(-32635, Math.min(32635, sample));
        int sign = s < 0 ? 0x80 : 0;
        if (s < 0) {
            s = -s;
        }
        s += 0x84;
        int exponent = 7;
        for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (s >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** Root-mean-square level of a mu-law chunk, in linear 16-bit units. */
    public static double rms(byte[] mulaw, int offset, int length) {
        if (length <= 0) {
            return 0;
        }
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            double v = DECODE[mulaw[i] & 0xFF];
            sum += v * v;
        }
        return Math.sqrt(sum / length);
    }
}
