package dev.switchboard.relay.bench;

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
 * The hold listener on sung music (docs/BENCHMARKS.md): false wakes per hour on a playlist of songs,
 * solo and in parts, alone and over instrumental music, clean, telephone-band and GSM; what each false
 * wake sends to the model; and a person speaking after and over sung music. Each wake is handled as the
 * relay handles it: the agent listens for 1.5 s and dismisses it ({@code continue_hold}).
 * Two sets: {@code dev} (generated songs: what any choice was made on) and {@code heldout} (the songs
 * Festival ships, never used to choose anything). Needs festival, festvox-kallpc16k, sox, espeak-ng, flite.
 */
public final class VocalMusicEval {

    static final int RATE = 8000;
    /** How long the woken agent listens before it calls continue_hold on music. */
    static final int AWAKE_FRAMES = 75;
    /** How long a hold line plays its playlist round and round (at least two rounds). */
    static final int LOOPED_MINUTES = 20;

    public static void main(String[] args) throws Exception {
        if (!Songs.festivalInstalled()) {
            throw new IllegalStateException("festival and festvox-kallpc16k are needed: apt-get install festival festvox-kallpc16k");
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/audio");
        boolean heldOut = args.length > 1 && args[1].equals("heldout");
        Path scratch = Files.createTempDirectory("vocal-eval");
        System.out.println("singing the songs...");
        List<byte[]> songs = heldOut ? Songs.festivalExamples(scratch) : Songs.generated(10, 30, 7, scratch);
        float[] playlist = new float[0];
        for (byte[] song : songs) {
            playlist = HoldEval.Signal.concat(playlist, HoldEval.Signal.concat(HoldEval.Signal.decode(song), new float[RATE]));
        }
        float[] bed = HoldEval.Signal.decode(Files.readAllBytes(dir.resolve(heldOut ? "music/moh_macroform-robot_dity_90s.ulaw"
                : "music/moh_macroform-cold_day_90s.ulaw")));
        float[] band = accompanied(playlist, bed);
        List<byte[]> voices = heldOut ? HoldEval.heldOutVoices(dir, scratch) : HoldEval.devVoices(dir, scratch);
        System.out.printf("set %s: %d songs, %.1f min of singing, %d voices%n", heldOut ? "heldout" : "dev", songs.size(),
                playlist.length / (double) RATE / 60, voices.size());
        try (SpeechDetector.Model model = SpeechDetector.Model.load()) {
            for (String condition : List.of("clean", "phone", "gsm")) {
                for (boolean withBand : new boolean[] {false, true}) {
                    byte[] line = HoldEval.Signal.condition(withBand ? band : playlist, condition, scratch);
                    Played played = play(new HoldListener(model, true), line, Integer.MAX_VALUE);
                    double hours = line.length / (double) RATE / 3600;
                    System.out.printf("%-5s %-20s false wakes %3d (%5.1f per hour), audio sent per false wake %.1f s,"
                                    + " warm-ups %.0f per hour, sung onsets ignored %d; held-note share of the wakes %s%n",
                            condition, withBand ? "singing over a band" : "singing alone", played.wakes.size(),
                            played.wakes.size() / hours, played.wakes.isEmpty() ? 0 : played.audioSentFrames * 0.02 / played.wakes.size(),
                            played.warmUps / hours, played.sungIgnored, shares(played.heldShares));
                }
            }
            for (String condition : List.of("clean", "phone", "gsm")) { // a hold queue plays its playlist round and round
                byte[] once = HoldEval.Signal.condition(band, condition, scratch);
                int rounds = (int) Math.ceil(LOOPED_MINUTES * 60.0 * RATE / once.length);
                byte[] looped = new byte[once.length * rounds];
                for (int r = 0; r < rounds; r++) {
                    System.arraycopy(once, 0, looped, r * once.length, once.length);
                }
                Played played = play(new HoldListener(model, true), looped, Integer.MAX_VALUE);
                long later = played.wakes.stream().filter(f -> f >= once.length / 160).count();
                System.out.printf("%-5s the playlist over a band, round and round for %.0f min (%d rounds): %d false wakes the first"
                                + " time round, %d in the rounds after it; %.1f per hour over the whole%n", condition,
                        looped.length / (double) RATE / 60, rounds, played.wakes.size() - later, later,
                        played.wakes.size() / (looped.length / (double) RATE / 3600));
            }
            List<Double> personShares = new ArrayList<>(); // how far people's speech is from the bar
            for (String condition : List.of("clean", "phone", "gsm")) {
                Random random = new Random(5);
                System.out.printf("%-5s person at -20 dBFS after 20-30 s of singing: %s | with the song going on under them: %s%n", condition,
                        person(model, voices, playlist, condition, random, false, scratch, personShares).summary(),
                        person(model, voices, playlist, condition, random, true, scratch, personShares).summary());
            }
            for (String condition : List.of("clean", "phone", "gsm")) { // the line has played its whole playlist once already
                Random random = new Random(7);
                System.out.printf("%-5s person at -20 dBFS on the playlist's second round, after it: %s | over it: %s%n", condition,
                        secondRound(model, voices, playlist, condition, random, false, scratch).summary(),
                        secondRound(model, voices, playlist, condition, random, true, scratch).summary());
            }
            System.out.println("held-note share of the people's wakes: " + shares(personShares.stream().sorted().toList()));
        }
    }

    private static String shares(List<Double> shares) {
        return shares.stream().map(v -> String.format("%.2f", v)).toList().toString();
    }

    /** The songs over a band: the instrumental track 6 dB under the voices. */
    private static float[] accompanied(float[] singing, float[] bed) {
        float[] out = Arrays.copyOf(singing, singing.length);
        for (int i = 0; i < out.length; i++) {
            out[i] += bed[i % bed.length] * 0.5f;
        }
        return out;
    }

    private static HoldEval.Result person(SpeechDetector.Model model, List<byte[]> voices, float[] playlist, String condition,
                                          Random random, boolean over, Path scratch, List<Double> personShares) throws Exception {
        List<Long> latencies = new ArrayList<>();
        int missed = 0;
        for (byte[] voice : voices) {
            int musicSamples = RATE * (20 + random.nextInt(11));
            float[] speech = HoldEval.Signal.scaleTo(HoldEval.Signal.decode(voice), -20);
            float[] line = HoldEval.Signal.concat(HoldEval.Signal.loop(playlist, random.nextInt(playlist.length), musicSamples), speech);
            if (over) {
                float[] under = HoldEval.Signal.scaleTo(HoldEval.Signal.loop(playlist, random.nextInt(playlist.length), speech.length), -20);
                for (int i = 0; i < under.length; i++) {
                    line[musicSamples + i] += under[i];
                }
            }
            int onset = (musicSamples + HoldEval.Signal.firstVoiced(speech)) / 160;
            Played played = play(new HoldListener(model, true), HoldEval.Signal.condition(line, condition, scratch), onset);
            Integer wake = played.wakes.stream().filter(f -> f >= onset).findFirst().orElse(null);
            if (wake == null || wake - onset > 150) {
                missed++;
            } else {
                latencies.add((long) (wake - onset + 1) * 20);
                personShares.add(played.heldShares.get(played.heldShares.size() - 1));
            }
        }
        return new HoldEval.Result(latencies, missed, 0, voices.size(), 0);
    }

    /**
     * A person on a line that has played its whole playlist once: 20-30 s into the second round they
     * speak, after the song (it stops) or over it (it goes on under them at the speech's level, -20 dBFS, as
     * in {@link #person}). The music they speak after or over is audio the line played before.
     */
    private static HoldEval.Result secondRound(SpeechDetector.Model model, List<byte[]> voices, float[] playlist, String condition,
                                               Random random, boolean over, Path scratch) throws Exception {
        List<Long> latencies = new ArrayList<>();
        int missed = 0;
        for (byte[] voice : voices) {
            int start = random.nextInt(playlist.length);
            int musicSamples = RATE * (20 + random.nextInt(11));
            float[] speech = HoldEval.Signal.scaleTo(HoldEval.Signal.decode(voice), -20);
            float[] round = HoldEval.Signal.loop(playlist, start, playlist.length); // the first round, from where the line was
            float[] line = HoldEval.Signal.concat(HoldEval.Signal.concat(round, HoldEval.Signal.loop(playlist, start, musicSamples)), speech);
            int speechAt = round.length + musicSamples;
            if (over) {
                float[] under = HoldEval.Signal.scaleTo(HoldEval.Signal.loop(playlist, start + musicSamples, speech.length), -20);
                for (int i = 0; i < under.length; i++) {
                    line[speechAt + i] += under[i];
                }
            }
            int onset = (speechAt + HoldEval.Signal.firstVoiced(speech)) / 160;
            Played played = play(new HoldListener(model, true), HoldEval.Signal.condition(line, condition, scratch), onset);
            Integer wake = played.wakes.stream().filter(f -> f >= onset).findFirst().orElse(null);
            if (wake == null || wake - onset > 150) {
                missed++;
            } else {
                latencies.add((long) (wake - onset + 1) * 20);
            }
        }
        return new HoldEval.Result(latencies, missed, 0, voices.size(), 0);
    }

    /** Wakes, the audio the woken sessions were sent (pre-roll and the time awake), and warm-ups. */
    static final class Played {
        final List<Integer> wakes = new ArrayList<>();
        /** The held-note share of each wake's onset ({@link HoldListener#lastWakeHeldShare}). */
        final List<Double> heldShares = new ArrayList<>();
        int sungIgnored;
        long audioSentFrames;
        int warmUps;
    }

    /**
     * Plays {@code audio} as the relay would: a wake before {@code personAt} (a frame index) is music,
     * which the agent hears for 1.5 s and dismisses; a wake from {@code personAt} on is recorded and not
     * dismissed.
     */
    static Played play(HoldListener listener, byte[] audio, int personAt) {
        return play(listener, audio, personAt, true, AWAKE_FRAMES);
    }

    /**
     * As {@link #play(HoldListener, byte[], int)}, with what the agent takes the wakes before
     * {@code personAt} for ({@code music}, or a recording) and how long it listens before saying so.
     */
    static Played play(HoldListener listener, byte[] audio, int personAt, boolean music, int awakeFrames) {
        listener.startListening();
        Played played = new Played();
        int awake = -1;
        for (int off = 0, i = 0; off + 160 <= audio.length; off += 160, i++) {
            byte[] frame = Arrays.copyOfRange(audio, off, off + 160);
            if (awake >= 0) {
                listener.onAwakeFrame(frame);
                played.audioSentFrames++;
                if (++awake == awakeFrames) {
                    awake = -1;
                    listener.dismissLastWake(music); // continue_hold, heard=music or recording
                    listener.startListening();
                }
                continue;
            }
            HoldListener.Decision decision = listener.onHoldFrame(Base64.getEncoder().encodeToString(frame), frame);
            if (decision == HoldListener.Decision.SPEECH_STARTING) {
                played.warmUps++;
            } else if (decision == HoldListener.Decision.WAKE) {
                played.audioSentFrames += listener.takePreRoll().size();
                played.heldShares.add(listener.lastWakeHeldShare());
                if (personAt != Integer.MAX_VALUE && i >= personAt) {
                    played.wakes.add(i);
                    played.sungIgnored = listener.sungOnsetsIgnored();
                    return played;
                }
                if (personAt == Integer.MAX_VALUE) {
                    played.wakes.add(i);
                }
                awake = 0;
            }
        }
        played.sungIgnored = listener.sungOnsetsIgnored();
        return played;
    }
}
