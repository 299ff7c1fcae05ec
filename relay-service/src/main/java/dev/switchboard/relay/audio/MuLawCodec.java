package dev.switchboard.relay.audio;

/**
 * G.711 mu-law to and from linear samples. Only the keypad detector and generator need samples: the
 * media path forwards mu-law untouched. (The simulator has its own copy on purpose: it must not depend
 * on the code it checks.)
 */
public final class MuLawCodec {

    private static final short[] DECODE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            int u = ~i & 0xFF;
            int t = ((u & 0x0F) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            DECODE[i] = (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
        }
    }

    private MuLawCodec() {
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
        return (byte) ~(sign | (exponent << 4) | ((s >> (exponent + 3)) & 0x0F));
    }
}
