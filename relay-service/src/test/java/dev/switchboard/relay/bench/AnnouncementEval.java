package dev.switchboard.relay.bench;

import dev.switchboard.relay.bench.HoldEval.Signal;
import dev.switchboard.relay.hold.HoldListener;
import dev.switchboard.relay.hold.SpeechDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Announcements heard again over a different music bed: a hold line plays an announcement over one
 * track, the agent dismisses it as a recording, and the same announcement comes back over another
 * track (a few dB louder or quieter, out of step with the 20 ms frames, perhaps through GSM). Counts the
 * wakes each recording costs (the first is expected: "re-wakes" are the others), and, as the price of
 * recognising more, how late or how often a person speaking over the second track after such a
 * dismissal is heard.
 *
 * <p>dev: four of the shared recordings (16-31 s, one voice) and two espeak-ng voices (about 18 s),
 * first over "cold day", then over "robot dity". heldout: two flite and two other espeak-ng voices
 * with other words (about 20 s), first over "the simplicity", then over "cold day" (only three tracks
 * exist here, so one is shared with dev).
 * Run: {@code bench/announce-eval [audio dir] [dev|heldout]}; needs sox, espeak-ng and flite.
 */
public final class AnnouncementEval {

    static final int RATE = HoldEval.RATE;
    /** How long the agent listens to a wake before calling {@code continue_hold} (about a sentence). */
    static final int AWAKE_FRAMES = 150;
    static final String[] DEV_TEXT = {
        "Thank you for calling. All of our agents are busy helping other customers. Please stay on the line and your call"
            + " will be answered in the order it was received.",
        "Did you know you can pay your bill online at any time? Visit our website and select billing to see your balance,"
            + " set up automatic payments, or change your plan.",
    };
    static final String[] HELD_OUT_TEXT = {
        "Your call is important to us. The current wait time is about fifteen minutes. You can also reach us by email,"
            + " and a member of our team will reply within one business day.",
        "For faster service, have your account number and the billing zip code ready when an agent answers. Thank you for"
            + " your patience.",
    };

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/audio");
        boolean heldOut = args.length > 1 && args[1].equals("heldout");
        Path scratch = Files.createTempDirectory("announce-eval");
        List<float[]> announcements = heldOut ? heldOutAnnouncements(scratch) : devAnnouncements(dir, scratch);
        float[] bedA = track(dir, heldOut ? "moh_macroform-the_simplicity_90s" : "moh_macroform-cold_day_90s");
        float[] bedB = track(dir, heldOut ? "moh_macroform-cold_day_90s" : "moh_macroform-robot_dity_90s");
        List<byte[]> people = heldOut ? HoldEval.heldOutVoices(dir, scratch) : HoldEval.devVoices(dir, scratch);
        System.out.printf("set %s: %d announcements (%s s), %d people%n", heldOut ? "heldout" : "dev", announcements.size(),
                announcements.stream().map(a -> String.format("%.0f", a.length / (double) RATE)).toList(), people.size());
        try (SpeechDetector.Model model = SpeechDetector.Model.load()) {
            for (double bedDb : new double[] {-12, -6}) {
                for (String[] conditions : new String[][] {{"phone", "phone"}, {"phone", "gsm"}}) {
                    Random random = new Random(11);
                    int firstPlay = 0;
                    int secondPlay = 0;
                    for (float[] announcement : announcements) {
                        int[] wakes = twoPlays(model, announcement, bedA, bedB, bedDb, conditions, random, scratch);
                        firstPlay += wakes[0];
                        secondPlay += wakes[1];
                    }
                    HoldEval.Result person = person(model, announcements.get(0), people, bedA, bedB, bedDb, conditions[1], random, scratch);
                    System.out.printf("bed %+3.0f dB, %s then %-5s: wakes on the first play %d, on the second (other bed) %d, of %d"
                                    + " recordings (re-wakes per recording %.2f) | person over the other bed after a dismissal: %s%n",
                            bedDb, conditions[0], conditions[1], firstPlay, secondPlay, announcements.size(),
                            (firstPlay + secondPlay - announcements.size()) / (double) announcements.size(), heard(person));
                }
            }
        }
    }

    /** Wake latency from the first voiced frame, and the share not woken for within 3 s (first words are measured by hold-eval). */
    private static String heard(HoldEval.Result person) {
        List<Long> sorted = person.latencies().stream().sorted().toList();
        return sorted.isEmpty() ? "no wake" : String.format("p50 %d ms, p95 %d ms, missed %.0f%% of %d", sorted.get(sorted.size() / 2),
                sorted.get((int) Math.min(sorted.size() - 1, Math.floor(sorted.size() * 0.95))), 100.0 * person.missed() / person.trials(),
                person.trials());
    }

    private static float[] track(Path dir, String name) throws Exception {
        return Signal.decode(Files.readAllBytes(dir.resolve("music/" + name + ".ulaw")));
    }

    private static List<float[]> devAnnouncements(Path dir, Path scratch) throws Exception {
        List<float[]> out = new ArrayList<>();
        for (String name : List.of("ast_en_allison_basic-pbx-ivr-main", "ast_en_allison_demo-congrats", "ast_en_allison_vm-options",
                "ast_en_allison_priv-callee-options")) {
            out.add(recording(dir, name));
        }
        out.add(spoken("espeak-ng:en-us+m3", DEV_TEXT, scratch));
        out.add(spoken("espeak-ng:en-gb", DEV_TEXT, scratch));
        return out;
    }

    private static List<float[]> heldOutAnnouncements(Path scratch) throws Exception {
        List<float[]> out = new ArrayList<>();
        for (String voice : List.of("flite:awb", "flite:rms", "espeak-ng:en-us+f4", "espeak-ng:en-sc+m5")) {
            out.add(spoken(voice, HELD_OUT_TEXT, scratch));
        }
        return out;
    }

    /** The texts one after another, half a second apart, as one recording. */
    private static float[] spoken(String voice, String[] texts, Path scratch) throws Exception {
        float[] out = new float[0];
        for (String text : texts) {
            out = joined(out, Signal.decode(Signal.synthesise(voice, text, scratch)));
        }
        return out;
    }

    private static float[] recording(Path dir, String name) throws Exception {
        return Signal.decode(Files.readAllBytes(dir.resolve("speech/" + name + ".ulaw")));
    }

    private static float[] joined(float[] a, float[] b) {
        return Signal.concat(Signal.concat(a, new float[RATE / 2]), b);
    }

    /** The announcement at -20 dBFS (times {@code gain}) with {@code bed} under it at -20 + bedDb dBFS, from {@code from}. */
    private static float[] over(float[] announcement, float[] bed, int from, double bedDb, double gainDb, int shift) {
        float[] voice = Signal.scaleTo(announcement, -20 + gainDb);
        float[] under = Signal.scaleTo(Signal.loop(bed, from, voice.length + shift), -20 + bedDb + gainDb);
        for (int i = 0; i < voice.length; i++) {
            under[i + shift] += voice[i];
        }
        return under;
    }

    /** Bed alone at the level it plays under the announcement. */
    private static float[] bedAlone(float[] bed, int from, double seconds, double bedDb) {
        return Signal.scaleTo(Signal.loop(bed, from, (int) (seconds * RATE)), -20 + bedDb);
    }

    /** Wakes during the first play (over bed A) and during the second (over bed B), every wake dismissed as a recording. */
    private static int[] twoPlays(SpeechDetector.Model model, float[] announcement, float[] bedA, float[] bedB, double bedDb,
                                  String[] conditions, Random random, Path scratch) throws Exception {
        float[] first = Signal.concat(Signal.concat(bedAlone(bedA, 0, 8, bedDb), over(announcement, bedA, 8 * RATE, bedDb, 0, 0)),
                bedAlone(bedA, 8 * RATE + announcement.length, 6, bedDb));
        int gain = random.nextInt(7) - 3;
        int shift = random.nextInt(160);
        float[] second = Signal.concat(Signal.concat(bedAlone(bedB, 0, 6, bedDb), over(announcement, bedB, 6 * RATE, bedDb, gain, shift)),
                bedAlone(bedB, 6 * RATE + announcement.length, 4, bedDb));
        byte[] a = Signal.condition(first, conditions[0], scratch);
        byte[] b = Signal.condition(second, conditions[1], scratch);
        byte[] line = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, line, a.length, b.length);
        List<Integer> wakes = play(new HoldListener(model, true), line, Integer.MAX_VALUE);
        int firstFrames = a.length / 160;
        int onFirst = (int) wakes.stream().filter(w -> w < firstFrames).count();
        return new int[] {onFirst, wakes.size() - onFirst};
    }

    /** A person (at the announcement's level) over bed B, after the announcement was dismissed over bed A. */
    private static HoldEval.Result person(SpeechDetector.Model model, float[] announcement, List<byte[]> people, float[] bedA,
                                          float[] bedB, double bedDb, String condition, Random random, Path scratch) throws Exception {
        List<Long> latencies = new ArrayList<>();
        int missed = 0;
        for (byte[] voice : people) {
            float[] first = Signal.concat(Signal.concat(bedAlone(bedA, 0, 8, bedDb), over(announcement, bedA, 8 * RATE, bedDb, 0, 0)),
                    bedAlone(bedA, 8 * RATE + announcement.length, 6, bedDb));
            float[] speech = Signal.decode(voice);
            int lead = 3 + random.nextInt(4);
            float[] then = Signal.concat(bedAlone(bedB, 0, lead, bedDb), over(speech, bedB, lead * RATE, bedDb, 0, 0));
            byte[] a = Signal.condition(first, "phone", scratch);
            byte[] b = Signal.condition(then, condition, scratch);
            byte[] line = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, line, a.length, b.length);
            int onset = (a.length + lead * RATE + Signal.firstVoiced(Signal.scaleTo(speech, -20))) / 160;
            List<Integer> wakes = play(new HoldListener(model, true), line, onset);
            Integer wake = wakes.stream().filter(w -> w >= onset).findFirst().orElse(null);
            if (wake == null || wake - onset > 150) {
                missed++;
            } else {
                latencies.add((long) (wake - onset + 1) * 20);
            }
        }
        return new HoldEval.Result(latencies, missed, 0, people.size(), 0);
    }

    /** Every wake before {@code personAt} is heard for {@link #AWAKE_FRAMES} and dismissed as a recording. */
    static List<Integer> play(HoldListener listener, byte[] audio, int personAt) {
        return VocalMusicEval.play(listener, audio, personAt, false, AWAKE_FRAMES).wakes;
    }
}
