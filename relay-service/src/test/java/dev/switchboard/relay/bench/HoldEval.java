package dev.switchboard.relay.bench;

import dev.switchboard.relay.audio.MuLawCodec;
import dev.switchboard.relay.hold.HoldListener;
import dev.switchboard.relay.hold.SpeechDetector;
import dev.switchboard.simulator.audio.PhoneLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The hold listener on lines it must hear people on: speech after short and long music (up to 20
 * minutes, telephone band and GSM), speech over music still playing, at three speech levels, clean and through a telephone band (300-3400 Hz with
 * line noise) and a GSM 06.10 round trip, and false wakes on instrumental music under the same
 * conditions. Two sets: {@code dev} (the voices and music the listener was tuned on) and
 * {@code heldout} (voices, sentences and a music track never used to choose anything). Speech beyond
 * the shared recordings is synthesised here with espeak-ng and flite (different voices per set).
 * Run: {@code bench/hold-eval [audio dir] [dev|heldout]}; needs sox, espeak-ng and flite.
 */
public final class HoldEval {

    static final int RATE = 8000;
    static final String DEV_SENTENCE = "Hello, thanks for holding, this is the billing department, how can I help you today?";
    static final String HELD_OUT_SENTENCE = "Yes hi, sorry about the wait. I have your file open now, what was the invoice number?";

    record Line(byte[] audio, int onsetFrame) {
    }

    record Result(List<Long> latencies, int missed, int firstWordsLost, int trials, double preRollSeconds) {
        String summary() {
            List<Long> sorted = latencies.stream().sorted().toList();
            return sorted.isEmpty() ? "no wake" : String.format("p50 %4d ms  p95 %4d ms  missed %3.0f%%  first words lost %d/%d"
                            + "  pre-roll %.1f s", sorted.get(sorted.size() / 2),
                    sorted.get((int) Math.min(sorted.size() - 1, Math.floor(sorted.size() * 0.95))),
                    100.0 * missed / trials, firstWordsLost, trials, preRollSeconds);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/audio");
        boolean heldOut = args.length > 1 && args[1].equals("heldout");
        Path scratch = Files.createTempDirectory("hold-eval");
        List<byte[]> voices = heldOut ? heldOutVoices(dir, scratch) : devVoices(dir, scratch);
        List<float[]> music = new ArrayList<>();
        for (String name : heldOut ? List.of("music/moh_macroform-robot_dity_90s")
                : List.of("music/moh_macroform-cold_day_90s", "music/moh_macroform-the_simplicity_90s")) {
            music.add(Signal.decode(Files.readAllBytes(dir.resolve(name + ".ulaw"))));
        }
        System.out.printf("set %s: %d voices, %d music track(s)%n", heldOut ? "heldout" : "dev", voices.size(), music.size());
        try (SpeechDetector.Model model = SpeechDetector.Model.load()) {
            for (String condition : List.of("clean", "phone", "gsm")) {
                for (double level : new double[] {-35, -20, -9}) {
                    Random random = new Random(11);
                    Result shortHold = run(model, voices, music, condition, level, random, 3, 5, false);
                    Result longHold = run(model, voices, music, condition, level, random, 40, 80, false);
                    Result over = run(model, voices, music, condition, level, random, 3, 5, true);
                    System.out.printf("%-5s speech %3.0f dBFS | after 3-5 s: %s | after 40-80 s: %s | over music: %s%n", condition,
                            level, shortHold.summary(), longHold.summary(), over.summary());
                }
            }
            for (String condition : List.of("phone", "gsm")) { // a long hold: the detector must not drift over 20 minutes
                for (double level : new double[] {-35, -20}) {
                    Result twentyMinutes = run(model, voices, music, condition, level, new Random(13), 1200, 1200, false);
                    System.out.printf("%-5s speech %3.0f dBFS | after 20 min of music: %s%n", condition, level, twentyMinutes.summary());
                }
            }
            for (String condition : List.of("clean", "phone", "gsm")) {
                int wakes = 0;
                int warmUps = 0;
                double seconds = 0;
                for (float[] track : music) {
                    byte[] line = Signal.condition(track, condition, scratch);
                    HoldListener listener = new HoldListener(model, true);
                    listener.startListening();
                    Heard heard = listen(listener, line, Integer.MAX_VALUE);
                    wakes += heard.wakes().size();
                    warmUps += heard.warmUps();
                    seconds += track.length / (double) RATE;
                }
                System.out.printf("%-5s instrumental music: %d false wakes in %.1f min (%.1f per hour); %d warm-ups (%.0f per hour)%n",
                        condition, wakes, seconds / 60, wakes * 3600 / seconds, warmUps, warmUps * 3600 / seconds);
            }
        }
    }

    private static Result run(SpeechDetector.Model model, List<byte[]> voices, List<float[]> music, String condition, double level,
                              Random random, int minMusicSeconds, int maxMusicSeconds, boolean over) throws Exception {
        List<Long> latencies = new ArrayList<>();
        int missed = 0;
        int lost = 0;
        int trials = 0;
        double preRoll = 0;
        for (byte[] voice : voices) {
            float[] bed = music.get(random.nextInt(music.size()));
            int musicSamples = RATE * (minMusicSeconds + random.nextInt(maxMusicSeconds - minMusicSeconds + 1));
            float[] speech = Signal.scaleTo(Signal.decode(voice), level);
            float[] line = Signal.concat(Signal.loop(bed, random.nextInt(bed.length), musicSamples), speech);
            if (over) { // the music goes on under the voice at the same level
                float[] under = Signal.scaleTo(Signal.loop(bed, random.nextInt(bed.length), speech.length), level);
                for (int i = 0; i < under.length; i++) {
                    line[musicSamples + i] += under[i];
                }
            }
            int onset = (musicSamples + Signal.firstVoiced(speech)) / 160;
            Heard heard = listen(new HoldListener(model, true), Signal.condition(line, condition, null), onset);
            trials++;
            Integer wake = heard.wakes().stream().filter(f -> f >= onset).findFirst().orElse(null);
            if (wake == null || wake - onset > 150) { // not within 3 s
                missed++;
            } else {
                latencies.add((long) (wake - onset + 1) * 20);
                preRoll += (wake + 1 - heard.preRollStarts().get(heard.wakes().indexOf(wake))) * 0.02;
                if (heard.preRollStarts().get(heard.wakes().indexOf(wake)) > onset) {
                    lost++;
                }
            }
        }
        return new Result(latencies, missed, lost, trials, latencies.isEmpty() ? 0 : preRoll / latencies.size());
    }

    /** Wakes (frame indexes), where each wake's pre-roll began, and how many idle sockets were opened. */
    static final class Heard {
        final List<Integer> wakes = new ArrayList<>();
        final List<Integer> preRollStarts = new ArrayList<>();
        int warmUps;

        List<Integer> wakes() {
            return wakes;
        }

        List<Integer> preRollStarts() {
            return preRollStarts;
        }

        int warmUps() {
            return warmUps;
        }
    }

    /** Plays {@code audio}; counts wakes from {@code countFrom} on (earlier ones are false wakes on music and are undone). */
    static Heard listen(HoldListener listener, byte[] audio, int countFrom) {
        listener.startListening();
        Heard heard = new Heard();
        for (int off = 0, i = 0; off + 160 <= audio.length; off += 160, i++) {
            byte[] frame = Arrays.copyOfRange(audio, off, off + 160);
            HoldListener.Decision decision = listener.onHoldFrame(Base64.getEncoder().encodeToString(frame), frame);
            if (decision == HoldListener.Decision.SPEECH_STARTING) {
                heard.warmUps++;
            }
            if (decision == HoldListener.Decision.WAKE) {
                int preRoll = listener.takePreRoll().size();
                if (i >= countFrom || countFrom == Integer.MAX_VALUE) {
                    heard.wakes().add(i);
                    heard.preRollStarts().add(i + 1 - preRoll);
                }
                listener.startListening(); // continue_hold, or a new hold: the listener starts afresh
            }
        }
        return heard;
    }

    static List<byte[]> devVoices(Path dir, Path scratch) throws Exception {
        List<byte[]> voices = new ArrayList<>();
        for (String name : List.of("speech/ast_en_allison_demo-instruct", "speech/ast_en_allison_demo-congrats",
                "speech/ast_en_allison_vm-options", "speech/ast_en_allison_basic-pbx-ivr-main", "tts/espeak_en-us", "tts/flite_slt",
                "tts/festival_kal")) {
            byte[] audio = Files.readAllBytes(dir.resolve(name + ".ulaw"));
            int start = Signal.firstVoiced(Signal.decode(audio));
            voices.add(Arrays.copyOfRange(audio, Math.max(0, start - 1600), Math.min(audio.length, start + RATE * 4)));
        }
        for (String voice : List.of("espeak-ng:en-us+m3", "espeak-ng:en-gb", "flite:kal")) {
            voices.add(Signal.synthesise(voice, DEV_SENTENCE, scratch));
        }
        return voices;
    }

    static List<byte[]> heldOutVoices(Path dir, Path scratch) throws Exception {
        List<byte[]> voices = new ArrayList<>();
        for (String name : List.of("tts/espeak_en-us_f3", "tts/flite_rms")) {
            voices.add(Files.readAllBytes(dir.resolve(name + ".ulaw")));
        }
        for (String voice : List.of("espeak-ng:en-us+f4", "espeak-ng:en-sc+m5", "espeak-ng:en-us+m7", "flite:awb", "flite:rms")) {
            voices.add(Signal.synthesise(voice, HELD_OUT_SENTENCE, scratch));
        }
        return voices;
    }

    /** Signal helpers: mu-law, levels, the telephone band, line noise, GSM through sox. */
    static final class Signal {

        static float[] decode(byte[] mulaw) {
            float[] out = new float[mulaw.length];
            for (int i = 0; i < mulaw.length; i++) {
                out[i] = MuLawCodec.decode(mulaw[i]) / 32768f;
            }
            return out;
        }

        static byte[] encode(float[] samples) {
            byte[] out = new byte[samples.length];
            for (int i = 0; i < samples.length; i++) {
                out[i] = MuLawCodec.encode((int) Math.max(-32768, Math.min(32767, samples[i] * 32768)));
            }
            return out;
        }

        static float[] scaleTo(float[] x, double dbfs) {
            return PhoneLine.scaleTo(x, dbfs);
        }

        static float[] loop(float[] x, int from, int length) {
            float[] out = new float[length];
            for (int i = 0; i < length; i++) {
                out[i] = x[(from + i) % x.length];
            }
            return out;
        }

        static float[] concat(float[] a, float[] b) {
            float[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        static int firstVoiced(float[] x) {
            for (int off = 0; off + 160 <= x.length; off += 160) {
                double sum = 0;
                for (int i = off; i < off + 160; i++) {
                    sum += x[i] * x[i];
                }
                if (Math.sqrt(sum / 160) > 0.003) {
                    return off;
                }
            }
            return 0;
        }

        /** clean: as is; phone: 300-3400 Hz band and line noise at -50 dBFS; gsm: phone, then a GSM 06.10 round trip. */
        static byte[] condition(float[] x, String condition, Path scratch) throws IOException, InterruptedException {
            if (condition.equals("clean")) {
                return encode(x);
            }
            byte[] line = encode(PhoneLine.addNoise(PhoneLine.band(x), -50, 3));
            return condition.equals("gsm") ? sox(line, "gsm", scratch) : line;
        }

        private static byte[] sox(byte[] mulaw, String codec, Path scratch) throws IOException, InterruptedException {
            Path dir = scratch != null ? scratch : Files.createTempDirectory("hold-eval");
            Path in = Files.createTempFile(dir, "line", ".ul");
            Path coded = Files.createTempFile(dir, "line", "." + codec);
            Path out = Files.createTempFile(dir, "line", ".ul");
            Files.write(in, mulaw);
            run("sox", "-t", "ul", "-r", "8000", "-c", "1", in.toString(), "-t", codec, coded.toString());
            run("sox", "-t", codec, coded.toString(), "-t", "ul", "-r", "8000", "-c", "1", out.toString());
            byte[] back = Files.readAllBytes(out);
            Files.delete(in);
            Files.delete(coded);
            Files.delete(out);
            return back;
        }

        /** {@code engine:voice} through espeak-ng or flite, as 8 kHz mu-law. */
        static byte[] synthesise(String engineVoice, String text, Path scratch) throws IOException, InterruptedException {
            String[] ev = engineVoice.split(":");
            Path wav = Files.createTempFile(scratch, "voice", ".wav");
            Path ul = Files.createTempFile(scratch, "voice", ".ul");
            if (ev[0].equals("espeak-ng")) {
                run("espeak-ng", "-v", ev[1], "-w", wav.toString(), text);
            } else {
                run("flite", "-voice", ev[1], "-t", text, "-o", wav.toString());
            }
            run("sox", wav.toString(), "-t", "ul", "-r", "8000", "-c", "1", ul.toString());
            return Files.readAllBytes(ul);
        }

        private static void run(String... command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        }
    }
}
