package dev.switchboard.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sung music for the hold evaluation, made on the spot: no sung recordings ship in Debian or the
 * package registries reachable here, but Festival's singing mode (Debian's festival and
 * festvox-kallpc16k, X11-style licences) sings a score: notes, beats and words. {@link #generated}
 * writes random melodies in a key with words under them, solo or in three parts;
 * {@link #festivalExamples} renders the songs Festival ships as examples (Daisy, Loch Lomond, Do-Re-Mi,
 * and America and a pop chorus in four parts), also an octave up.
 */
final class Songs {

    static final String EXAMPLES = "/usr/share/doc/festival/examples/songs";
    private static final String[] NOTE_NAMES = {"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"};
    private static final int[] MAJOR = {0, 2, 4, 5, 7, 9, 11};
    private static final int[] MINOR = {0, 2, 3, 5, 7, 8, 10};
    private static final String[] WORDS = {"love", "you", "night", "sun", "oh", "heart", "dream", "stay", "home", "sky", "light",
        "go", "now", "road", "rain", "fly", "free", "blue", "day", "soul", "time", "hold", "me", "way", "shine", "sea", "fire",
        "gold", "song", "we", "are", "one", "my", "dear", "star", "moon", "snow", "wind", "sweet", "true"};

    private Songs() {
    }

    static boolean festivalInstalled() {
        return Files.isDirectory(Path.of("/usr/share/festival/voices/english/kal_diphone"));
    }

    /** {@code count} songs of about {@code seconds} each, from {@code seed}: 8 kHz mu-law. */
    static List<byte[]> generated(int count, int seconds, long seed, Path scratch) throws IOException, InterruptedException {
        List<byte[]> songs = new ArrayList<>();
        Random random = new Random(seed);
        for (int s = 0; s < count; s++) {
            int bpm = 70 + random.nextInt(70);
            int tonic = 45 + random.nextInt(10) + (random.nextInt(3) == 0 ? 12 : 0); // A2..F#3, now and then an octave up
            int[] scale = random.nextBoolean() ? MAJOR : MINOR;
            List<int[]> melody = melody(random, bpm, seconds, scale);
            boolean parts = random.nextInt(3) == 0;
            List<byte[]> voices = new ArrayList<>();
            for (int interval : parts ? new int[] {0, -3, -5} : new int[] {0}) { // a melody, a third and a fifth under it
                voices.add(sing(score(melody, tonic, scale, interval, bpm, new Random(seed * 31 + s)), scratch));
            }
            songs.add(voices.size() == 1 ? voices.get(0) : HoldEval.Signal.encode(mix(voices)));
        }
        return songs;
    }

    /** Festival's example songs, as written and an octave up (the solo ones). */
    static List<byte[]> festivalExamples(Path scratch) throws IOException, InterruptedException {
        List<byte[]> songs = new ArrayList<>();
        for (String solo : List.of("daisy", "lochlomond", "doremi")) {
            String xml = Files.readString(Path.of(EXAMPLES, solo + ".xml"));
            songs.add(sing(xml, scratch));
            songs.add(sing(transpose(xml, 12), scratch));
        }
        for (String group : List.of("america", "spice")) {
            List<byte[]> parts = new ArrayList<>();
            for (int part = 1; part <= 4; part++) {
                parts.add(sing(Files.readString(Path.of(EXAMPLES, group + part + ".xml")), scratch));
            }
            songs.add(HoldEval.Signal.encode(mix(parts)));
        }
        return songs;
    }

    /** Notes as {scale degree, beats in quarters of a beat}; a degree of -100 is a rest. */
    private static List<int[]> melody(Random random, int bpm, int seconds, int[] scale) {
        List<int[]> notes = new ArrayList<>();
        double beats = 0;
        int degree = 0;
        while (beats * 60 / bpm < seconds) {
            int phrase = 5 + random.nextInt(6);
            for (int i = 0; i < phrase; i++) {
                degree = Math.max(-3, Math.min(scale.length + 2, degree + random.nextInt(5) - 2));
                int quarters = new int[] {2, 4, 4, 4, 6, 8}[random.nextInt(6)];
                notes.add(new int[] {degree, quarters});
                beats += quarters / 4.0;
            }
            int rest = 2 + random.nextInt(3);
            notes.add(new int[] {-100, rest});
            beats += rest / 4.0;
        }
        return notes;
    }

    private static String score(List<int[]> melody, int tonic, int[] scale, int interval, int bpm, Random words) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE SINGING PUBLIC \"-//SINGING//DTD SINGING mark up//EN\""
                + " \"Singing.v0_1.dtd\" []>\n<SINGING BPM=\"" + bpm + "\">\n");
        for (int[] note : melody) {
            String beats = String.format("%.2f", note[1] / 4.0);
            if (note[0] == -100) {
                xml.append("<REST BEATS=\"").append(beats).append("\"></REST>\n");
                continue;
            }
            int octave = Math.floorDiv(note[0], scale.length);
            int midi = tonic + 12 * octave + scale[Math.floorMod(note[0], scale.length)] + interval;
            xml.append("<DURATION BEATS=\"").append(beats).append("\"><PITCH NOTE=\"").append(name(midi)).append("\">")
                    .append(WORDS[words.nextInt(WORDS.length)]).append("</PITCH></DURATION>\n");
        }
        return xml.append("</SINGING>\n").toString();
    }

    private static String transpose(String xml, int semitones) {
        Matcher m = Pattern.compile("NOTE=\"([^\"]+)\"").matcher(xml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            List<String> notes = new ArrayList<>();
            for (String note : m.group(1).split(",")) {
                notes.add(name(midi(note.trim()) + semitones));
            }
            m.appendReplacement(out, "NOTE=\"" + String.join(",", notes) + "\"");
        }
        m.appendTail(out);
        return out.toString();
    }

    static String name(int midi) {
        return NOTE_NAMES[Math.floorMod(midi, 12)] + (Math.floorDiv(midi, 12) - 1);
    }

    static int midi(String name) {
        int letter = "C D EF G A B".indexOf(name.charAt(0));
        int i = 1;
        if (name.charAt(i) == 'b') {
            letter--;
            i++;
        } else if (name.charAt(i) == '#') {
            letter++;
            i++;
        }
        return letter + 12 * (Integer.parseInt(name.substring(i)) + 1);
    }

    private static byte[] sing(String xml, Path scratch) throws IOException, InterruptedException {
        Path score = Files.createTempFile(scratch, "song", ".xml");
        Path wav = Files.createTempFile(scratch, "song", ".wav");
        Path ul = Files.createTempFile(scratch, "song", ".ul");
        Files.writeString(score, xml);
        run("text2wave", "-mode", "singing", score.toString(), "-o", wav.toString());
        run("sox", wav.toString(), "-t", "ul", "-r", "8000", "-c", "1", ul.toString());
        return Files.readAllBytes(ul);
    }

    private static float[] mix(List<byte[]> parts) {
        int length = parts.stream().mapToInt(p -> p.length).max().orElse(0);
        float[] out = new float[length];
        for (byte[] part : parts) {
            float[] x = HoldEval.Signal.decode(part);
            for (int i = 0; i < x.length; i++) {
                out[i] += x[i] / parts.size() * 2;
            }
        }
        return out;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
