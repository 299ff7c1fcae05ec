package dev.switchboard.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.audio.MuLawCodec;
import dev.switchboard.relay.hold.AudioFingerprint;
import dev.switchboard.relay.hold.HoldListener;
import dev.switchboard.relay.hold.HoldListener.Decision;
import dev.switchboard.relay.hold.SpeechDetector;
import dev.switchboard.simulator.audio.Audio;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hold listener on real telephone audio: music wakes nobody, a recorded announcement wakes the
 * agent once, its repeat (shifted and quieter) is recognised and ignored, and a person who speaks
 * after it still wakes the agent.
 */
class HoldListenerTest {

    static SpeechDetector.Model model;
    static byte[] music;
    static byte[] speech;

    @BeforeAll
    static void load() throws Exception {
        model = SpeechDetector.Model.load();
        music = resource("/audio/music-macroform-cold-day-20s.ulaw");
        speech = resource("/audio/speech-allison-20s.ulaw");
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    static byte[] resource(String name) throws Exception {
        try (InputStream in = HoldListenerTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    static byte[] seconds(byte[] audio, double from, double to) {
        return Arrays.copyOfRange(audio, (int) (from * 8000), (int) (to * 8000));
    }

    /** The same audio a few dB quieter, as a second play of a recording over another route would be. */
    static byte[] quieter(byte[] mulaw, double gain) {
        byte[] out = new byte[mulaw.length];
        for (int i = 0; i < mulaw.length; i++) {
            out[i] = MuLawCodec.encode((int) Math.round(MuLawCodec.decode(mulaw[i]) * gain));
        }
        return out;
    }

    /** Feeds audio frame by frame; returns the decisions (other than NONE) with the frame index they came at. */
    static List<String> feed(HoldListener listener, byte[] audio, boolean awakeAfterWake) {
        List<String> decisions = new ArrayList<>();
        boolean awake = false;
        for (int off = 0, i = 0; off + 160 <= audio.length; off += 160, i++) {
            byte[] frame = Arrays.copyOfRange(audio, off, off + 160);
            if (awake) {
                listener.onAwakeFrame(frame);
                continue;
            }
            Decision d = listener.onHoldFrame(Base64.getEncoder().encodeToString(frame), frame);
            if (d != Decision.NONE) {
                decisions.add(d + "@" + i);
                awake = d == Decision.WAKE && awakeAfterWake;
            }
        }
        return decisions;
    }

    /** The decisions that are not SPEECH_STARTING (which only opens a socket ahead of a possible wake). */
    static List<String> wakesAndRepeats(List<String> decisions) {
        return decisions.stream().filter(d -> !d.startsWith("SPEECH_STARTING")).toList();
    }

    @Test
    void musicAloneNeverWakes() {
        HoldListener listener = new HoldListener(model, true);
        listener.startListening();
        List<String> decisions = feed(listener, music, false);
        assertEquals(List.of(), wakesAndRepeats(decisions));
        // music may sound like the start of speech now and then; each asks for a socket to be ready (one
        // is kept 5 minutes, so at most 12 are opened an hour, and a socket costs no tokens).
        // Since the detector starts afresh between sounds (so it hears a voice after long music) it
        // reacts to more musical onsets than when it carried its state along: at most one in 3 s.
        assertTrue(decisions.size() <= 6, "warm-ups in 20 s of music: " + decisions);
    }

    @Test
    void aDismissedAnnouncementIsIgnoredWhenItComesBackButAPersonStillWakesTheAgent() {
        byte[] announcement = seconds(speech, 0, 5);
        HoldListener listener = new HoldListener(model, true);
        listener.startListening();

        List<String> first = wakesAndRepeats(feed(listener, Audio.concat(seconds(music, 0, 4), announcement, seconds(music, 4, 6)), true));
        assertEquals(1, first.size(), first.toString());
        assertTrue(first.get(0).startsWith("WAKE@"), first.toString());
        listener.dismissLastWake(false); // the agent heard a recording: continue_hold
        assertEquals(1, listener.dismissedRecordings());

        // the loop comes round again: the same recording, 10 ms out of step with the frames and 3 dB quieter
        listener.startListening();
        byte[] again = quieter(Audio.concat(seconds(music, 6, 10.01), announcement, seconds(music, 10, 12)), 0.7);
        List<String> second = feed(listener, again, true);
        assertTrue(second.stream().noneMatch(d -> d.startsWith("WAKE")), "no wake for the repeat: " + second);
        assertTrue(second.stream().anyMatch(d -> d.startsWith("REPEAT_IGNORED")), second.toString());

        // then a person speaks (other words): the agent wakes
        List<String> all = feed(listener, Audio.concat(seconds(music, 12, 13), seconds(speech, 9, 13)), true);
        List<String> person = wakesAndRepeats(all);
        assertEquals(1, person.size(), person.toString());
        assertTrue(person.get(0).startsWith("WAKE@"), person.toString());
        int wakeFrame = Integer.parseInt(person.get(0).substring(5));
        assertTrue(wakeFrame * 20 < 1000 + 700, "woke within 700 ms of the first words: frame " + wakeFrame);
        // the socket for the wake was opened at least 200 ms before it (7 of Silero's 32 ms chunks)
        String warmUp = all.get(all.indexOf(person.get(0)) - 1);
        assertTrue(warmUp.startsWith("SPEECH_STARTING@"), all.toString());
        int warmUpFrame = Integer.parseInt(warmUp.substring("SPEECH_STARTING@".length()));
        assertTrue((wakeFrame - warmUpFrame) * 20 >= 200, all.toString());
    }

    @Test
    void musicTheAgentDismissesDoesNotPushADismissedAnnouncementOutOfMemory() {
        byte[] announcement = seconds(speech, 0, 5);
        HoldListener listener = new HoldListener(model, true);
        listener.startListening();
        assertEquals(1, wakesAndRepeats(feed(listener, Audio.concat(seconds(music, 0, 4), announcement, seconds(music, 4, 6)), true))
                .size());
        listener.dismissLastWake(false);

        // a long hold of songs: many wakes, each dismissed as music (here other words stand in for a sung phrase)
        for (int i = 0; i < 8; i++) { // eight, as many as the recordings remembered
            listener.startListening();
            double from = 5.5 + 1.8 * i;
            List<String> song = wakesAndRepeats(feed(listener, Audio.concat(seconds(music, 6, 10), seconds(speech, from, from + 1.8)),
                    true));
            assertTrue(song.stream().anyMatch(d -> d.startsWith("WAKE@")), song.toString());
            listener.dismissLastWake(true);
        }
        assertEquals(1, listener.dismissedRecordings(), "only the announcement is remembered as a recording");

        listener.startListening();
        List<String> again = feed(listener, Audio.concat(seconds(music, 6, 10), announcement, seconds(music, 10, 12)), true);
        assertTrue(again.stream().anyMatch(d -> d.startsWith("REPEAT_IGNORED")), again.toString());
        assertTrue(again.stream().noneMatch(d -> d.startsWith("WAKE")), "the announcement is still recognised: " + again);
    }

    @Test
    void afterSungMusicIsDismissedSungOnsetsAreReportedNotSilentlyDropped() throws Exception {
        byte[] song = resource("/audio/song-festival-kal-23s.ulaw");
        HoldListener listener = new HoldListener(model, true);
        listener.startListening();
        List<String> decisions = new ArrayList<>();
        boolean dismissed = false;
        for (int off = 0, i = 0; off + 160 <= song.length; off += 160, i++) {
            byte[] frame = Arrays.copyOfRange(song, off, off + 160);
            Decision d = listener.onHoldFrame(Base64.getEncoder().encodeToString(frame), frame);
            if (d == Decision.WAKE && !dismissed) {
                listener.dismissLastWake(true); // the agent heard singing: continue_hold, heard=music
                listener.startListening();
                dismissed = true;
            } else if (d != Decision.NONE && d != Decision.SPEECH_STARTING) {
                decisions.add(d + "@" + i);
            }
        }
        assertTrue(dismissed, "the song woke the agent once before it was dismissed");
        long sung = decisions.stream().filter(d -> d.startsWith("SUNG_IGNORED")).count();
        assertTrue(sung > 0, "sung onsets let go are reported: " + decisions);
        assertEquals(sung, listener.sungOnsetsIgnored(), decisions.toString());
    }

    @Test
    void aSongDismissedAsMusicDoesNotWakeTheAgentWhenThePlaylistComesRoundButAPersonOverItDoes() {
        // a song with a voice that speaks more than it sings (a voice over a band): the pitch check lets
        // none of it go, so the first round wakes the agent again and again, each time dismissed as music
        byte[] song = Audio.mix(seconds(music, 0, 12), seconds(speech, 0, 12));
        HoldListener listener = new HoldListener(model, true);
        listener.startListening();
        int firstRound = wakesWhileDismissingAsMusic(listener, song);
        assertTrue(firstRound >= 2, "the song woke the agent more than once the first time round: " + firstRound);

        // the queue's playlist comes round again: the same song, 10 ms out of step and 3 dB quieter
        byte[] again = quieter(seconds(song, 0.01, 12), 0.7);
        assertEquals(0, wakesWhileDismissingAsMusic(listener, again), "the song's next play is something the line played before");

        // and again, with a person talking over it (other words, at the song's level): the agent wakes for them
        byte[] overSong = Audio.mix(seconds(song, 4, 10), seconds(speech, 13, 19));
        List<String> person = wakesAndRepeats(feed(listener, Audio.concat(seconds(song, 0, 4), overSong), true));
        assertTrue(person.stream().anyMatch(d -> d.startsWith("WAKE@")), "a person over the replayed song: " + person);
        int wakeFrame = Integer.parseInt(person.stream().filter(d -> d.startsWith("WAKE@")).findFirst().orElseThrow().substring(5));
        assertTrue(wakeFrame * 20 < 4000 + 2000, "woke within 2 s of the person's first words: frame " + wakeFrame);
    }

    /** Plays audio on hold; every wake is dismissed as music once the agent has listened for 1.5 s. Returns the wakes. */
    private static int wakesWhileDismissingAsMusic(HoldListener listener, byte[] audio) {
        int wakes = 0;
        int awake = -1;
        for (int off = 0; off + 160 <= audio.length; off += 160) {
            byte[] frame = Arrays.copyOfRange(audio, off, off + 160);
            if (awake >= 0) {
                listener.onAwakeFrame(frame);
                if (++awake == 75) {
                    awake = -1;
                    listener.dismissLastWake(true);
                    listener.startListening();
                }
            } else if (listener.onHoldFrame(Base64.getEncoder().encodeToString(frame), frame) == Decision.WAKE) {
                wakes++;
                awake = 0;
            }
        }
        return wakes;
    }

    @Test
    void fingerprintsOfARepeatAgreeAndOfOtherSpeechDoNot() {
        int[] a = prints(seconds(speech, 0, 3));
        int[] shifted = prints(quieter(seconds(speech, 0.01, 3.01), 0.7));
        int[] other = prints(seconds(speech, 9, 12));
        double same = AudioFingerprint.bitErrorRate(a, 5, shifted, 5, 100);
        double different = AudioFingerprint.bitErrorRate(a, 5, other, 5, 100);
        System.out.printf("fingerprint bit error rate: repeat %.3f, other speech %.3f%n", same, different);
        assertTrue(same < 0.25, "a repeat: " + same);
        assertTrue(different > 0.40, "other speech: " + different);
    }

    static int[] prints(byte[] audio) {
        AudioFingerprint f = new AudioFingerprint();
        float[] s = new float[160];
        int[] out = new int[audio.length / 160];
        for (int k = 0; k < out.length; k++) {
            for (int i = 0; i < 160; i++) {
                s[i] = MuLawCodec.decode(audio[k * 160 + i]) / 32768f;
            }
            out[k] = f.next(s, 160);
        }
        return out;
    }
}
