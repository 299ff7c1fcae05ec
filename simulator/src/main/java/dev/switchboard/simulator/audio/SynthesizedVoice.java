package dev.switchboard.simulator.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The words themselves, spoken by espeak-ng (the Debian package {@code espeak-ng}), so a person trying
 * the local stack without an OpenAI key hears what their profile makes the agent say: the greeting, a
 * {@code say}, a scripted reply. Falls back to {@link Voice#SPEECH_LIKE} if the synthesizer fails.
 */
public final class SynthesizedVoice implements Voice {

    private static final int CACHED = 64;

    private final String binary;
    private final Map<String, byte[]> cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHED;
        }
    });

    private SynthesizedVoice(String binary) {
        this.binary = binary;
    }

    /** espeak-ng if it is installed (on the PATH), else nothing. */
    public static Optional<Voice> ifInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "espeak-ng");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new SynthesizedVoice(candidate.toString()));
            }
        }
        return Optional.empty();
    }

    @Override
    public byte[] say(String text, int millis, long seed) {
        byte[] cached = cache.get(text);
        if (cached != null) {
            return cached;
        }
        try {
            Process p = new ProcessBuilder(binary, "-v", "en-us", "-s", "160", "--stdout", text).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] wav = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return SPEECH_LIKE.say(text, millis, seed);
            }
            byte[] mulaw = toMulaw8k(wav);
            cache.put(text, mulaw);
            return mulaw;
        } catch (IOException e) {
            return SPEECH_LIKE.say(text, millis, seed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SPEECH_LIKE.say(text, millis, seed);
        }
    }

    /** 16-bit mono PCM WAV at any rate to 8 kHz mu-law: averaged over each output sample's span (a low-pass), then encoded. */
    static byte[] toMulaw8k(byte[] wav) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 44 || b.getInt(0) != 0x46464952) { // "RIFF"
            throw new IOException("not a WAV file");
        }
        int rate = b.getInt(24);
        int at = 12;
        int dataAt = -1;
        int dataLength = 0;
        while (at + 8 <= wav.length) {
            int id = b.getInt(at);
            int size = b.getInt(at + 4);
            if (id == 0x61746164) { // "data"; espeak-ng's stream header may give 0 or -1 as its size
                dataAt = at + 8;
                dataLength = size <= 0 || dataAt + size > wav.length ? wav.length - dataAt : size;
                break;
            }
            at += 8 + size;
        }
        if (dataAt < 0) {
            throw new IOException("no data chunk");
        }
        int samples = dataLength / 2;
        double step = rate / (double) MuLaw.SAMPLE_RATE;
        int out = (int) (samples / step);
        byte[] mulaw = new byte[out];
        for (int i = 0; i < out; i++) {
            int from = (int) (i * step);
            int to = Math.min(samples, Math.max(from + 1, (int) ((i + 1) * step)));
            long sum = 0;
            for (int s = from; s < to; s++) {
                sum += b.getShort(dataAt + 2 * s);
            }
            mulaw[i] = MuLaw.encode((int) (sum / (to - from)));
        }
        return mulaw;
    }
}
