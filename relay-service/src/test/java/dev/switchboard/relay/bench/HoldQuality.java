package dev.switchboard.relay.bench;

import dev.switchboard.relay.audio.MuLawCodec;
import dev.switchboard.relay.hold.HoldListener;
import dev.switchboard.relay.hold.SpeechDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * How well the hold listener hears people and ignores the rest, on the recordings in
 * {@code shared/audio}: false wakes per hour of each music and noise file (played at five frame
 * offsets), and wake latency from speech onset when speech follows music at random points.
 * Run: {@code bench/hold-quality [audio dir]}; prints the lines quoted in docs/BENCHMARKS.md.
 */
public final class HoldQuality {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/audio");
        try (SpeechDetector.Model model = SpeechDetector.Model.load()) {
            System.out.println("false wakes (each file played from 5 frame offsets):");
            for (String name : new String[] {"music/moh_macroform-cold_day_90s", "music/moh_macroform-robot_dity_90s",
                    "music/moh_macroform-the_simplicity_90s", "noise/comfort_pinknoise_-50dBFS_30s",
                    "noise/comfort_brownnoise_-45dBFS_30s", "noise/comfort_whitenoise_-60dBFS_30s", "noise/ringback_us_30s",
                    "noise/ast_near_silence_10s"}) {
                byte[] audio = Files.readAllBytes(dir.resolve(name + ".ulaw"));
                int wakes = 0;
                int warmUps = 0;
                double seconds = 0;
                for (int offset : new int[] {0, 40, 80, 120, 200}) {
                    HoldListener listener = new HoldListener(model, true);
                    listener.startListening();
                    Heard heard = listen(listener, Arrays.copyOfRange(audio, offset, audio.length));
                    wakes += heard.wakes().size();
                    warmUps += heard.warmUps().size();
                    seconds += (audio.length - offset) / 8000.0;
                }
                System.out.printf("  %-40s %5.1f min  %d wakes  %.1f per hour  (%d socket warm-ups, %.0f per hour)%n", name,
                        seconds / 60, wakes, wakes * 3600 / seconds, warmUps, warmUps * 3600 / seconds);
            }
            List<Long> latencies = new ArrayList<>();
            List<Long> headStarts = new ArrayList<>();
            int missed = 0;
            Random random = new Random(7);
            byte[][] music = {Files.readAllBytes(dir.resolve("music/moh_macroform-cold_day_90s.ulaw")),
                    Files.readAllBytes(dir.resolve("music/moh_macroform-the_simplicity_90s.ulaw"))};
            List<byte[]> utterances = new ArrayList<>();
            for (String name : new String[] {"speech/ast_en_allison_demo-instruct", "speech/ast_en_allison_demo-congrats",
                    "speech/ast_en_allison_vm-options", "speech/ast_en_allison_basic-pbx-ivr-main", "tts/espeak_en-us",
                    "tts/flite_slt", "tts/festival_kal"}) {
                utterances.add(Files.readAllBytes(dir.resolve(name + ".ulaw")));
            }
            for (int trial = 0; trial < 100; trial++) {
                byte[] m = music[trial % 2];
                int musicStart = random.nextInt(m.length - 8000 * 6) / 160 * 160;
                byte[] before = Arrays.copyOfRange(m, musicStart, musicStart + 8000 * (3 + random.nextInt(3)));
                byte[] speech = utterances.get(trial % utterances.size());
                int speechStart = firstVoiced(speech, 0);
                byte[] words = Arrays.copyOfRange(speech, speechStart, Math.min(speech.length, speechStart + 8000 * 3));
                HoldListener listener = new HoldListener(model, true);
                listener.startListening();
                byte[] line = new byte[before.length + words.length];
                System.arraycopy(before, 0, line, 0, before.length);
                System.arraycopy(words, 0, line, before.length, words.length);
                Heard heard = listen(listener, line);
                int onsetFrame = before.length / 160;
                Integer first = heard.wakes().stream().filter(f -> f >= onsetFrame).findFirst().orElse(null);
                if (first == null) {
                    missed++;
                } else {
                    latencies.add((long) (first - onsetFrame + 1) * 20);
                    int warmUp = heard.warmUps().stream().filter(f -> f <= first).reduce((a, b) -> b).orElse(first);
                    headStarts.add((long) (first - warmUp) * 20);
                }
            }
            latencies.sort(null);
            System.out.printf("wake latency from speech onset (100 trials, speech after 3-5 s of music): p50 %d ms, p95 %d ms,"
                    + " max %d ms, missed %d%n", latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.95)),
                    latencies.get(latencies.size() - 1), missed);
            headStarts.sort(null);
            System.out.printf("socket head start (warm-up to wake, time the Realtime handshakes get): p50 %d ms, min %d ms%n",
                    headStarts.get(headStarts.size() / 2), headStarts.get(0));
        }
    }

    /** Frames at which the listener woke, and at which it warmed up a socket (SPEECH_STARTING). */
    record Heard(List<Integer> wakes, List<Integer> warmUps) {
    }

    static Heard listen(HoldListener listener, byte[] audio) {
        Heard heard = new Heard(new ArrayList<>(), new ArrayList<>());
        for (int off = 0, i = 0; off + 160 <= audio.length; off += 160, i++) {
            byte[] frame = Arrays.copyOfRange(audio, off, off + 160);
            HoldListener.Decision d = listener.onHoldFrame(Base64.getEncoder().encodeToString(frame), frame);
            if (d == HoldListener.Decision.WAKE) {
                heard.wakes().add(i);
                listener.startListening();
            } else if (d == HoldListener.Decision.SPEECH_STARTING) {
                heard.warmUps().add(i);
            }
        }
        return heard;
    }

    /** The first 20 ms frame clearly above room noise: where the words start. */
    static int firstVoiced(byte[] audio, int from) {
        for (int off = from; off + 160 <= audio.length; off += 160) {
            double sum = 0;
            for (int i = off; i < off + 160; i++) {
                double v = MuLawCodec.decode(audio[i]);
                sum += v * v;
            }
            if (Math.sqrt(sum / 160) > 500) {
                return off;
            }
        }
        return 0;
    }
}
