package dev.switchboard.relay;

import static dev.switchboard.relay.HoldTest.firstVoicedByte;
import static dev.switchboard.relay.HoldTest.indexOf;
import static dev.switchboard.relay.HoldTest.resource;
import static dev.switchboard.relay.HoldTest.seconds;
import static dev.switchboard.relay.RelayHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.call.HoldUsage;
import dev.switchboard.simulator.audio.Audio;
import dev.switchboard.simulator.audio.PhoneLine;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import dev.switchboard.simulator.realtime.Reply;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hold on lines like real ones, end to end through the relay: a quiet telephone-band voice after
 * a minute of loud music (the detector must not have drifted, and the woken session must get the
 * first word), an announcement longer than ten seconds that is learnt whole after one wake, a
 * sung song dismissed as music with a person after it, and a playlist that wakes nobody on its next round.
 */
@QuarkusTest
class LongHoldTest extends RelayTestBase {

    @Test
    void aQuietTelephoneVoiceAfterAMinuteOfMusicWakesTheAgentWithItsFirstWord() throws Exception {
        RelayHarness.Call call = callOnHold(201);
        MediaStreamCaller callee = call.caller();
        int sessionsAtHold = sessions();

        byte[] music = resource("/audio/music-macroform-cold-day-20s.ulaw");
        callee.play(Audio.concat(music, music, music)).get(); // a minute of music, as loud as it was mastered
        assertEquals(sessionsAtHold, sessions(), "music woke nobody");

        // a person on a poor line: 300-3400 Hz, 25 dB under the music's level, line noise at -50 dBFS
        byte[] clean = seconds(resource("/audio/speech-allison-20s.ulaw"), 9, 13);
        byte[] person = PhoneLine.carry(clean, -35, -50, 7);
        harness.realtime().script(() -> List.of(Reply.speak("Hi, thanks for picking up.", 400).heard("Accounts, how can I help?")));
        callee.play(Audio.concat(person, Audio.silence(800))).get();
        await(Duration.ofSeconds(10), () -> sessions() == sessionsAtHold + 1, "the wake");
        RealtimeConnection woken = session(sessionsAtHold);
        await(Duration.ofSeconds(10), () -> callee.heardMillis() >= 400, "the agent answering the person");

        int firstVoiced = firstVoicedByte(clean);
        byte[] firstWord = Arrays.copyOfRange(person, firstVoiced, firstVoiced + 2400); // the first 300 ms of speech
        assertTrue(indexOf(woken.audioReceived(), firstWord) >= 0, "the new session received the person's first word");
        assertEquals(List.of(), harness.realtime().rejected());
        callee.hangUp();
    }

    @Test
    void aTwentySecondAnnouncementWakesTheAgentOnceAndIsRecognisedWholeOnItsNextPlay() throws Exception {
        RelayHarness.Call call = callOnHold(202);
        MediaStreamCaller callee = call.caller();
        byte[] music = resource("/audio/music-macroform-cold-day-20s.ulaw");
        // 20 s of prompts; the agent knows it is a recording after the first sentence, 15 s before it ends
        byte[] prompts = resource("/audio/speech-allison-20s.ulaw");
        byte[] announcement = Audio.concat(seconds(prompts, 0, 5), Audio.silence(800), seconds(prompts, 5, 20));

        harness.realtime().script(() -> List.of(Reply.callFunction("continue_hold", "{\"reason\":\"a recorded announcement\"}")
                .heard("Your call is important to us.")));
        int sessionsBefore = sessions();
        callee.play(Audio.concat(seconds(music, 0, 4), announcement, seconds(music, 4, 8))).get();
        await(Duration.ofSeconds(10), () -> calls.find(call.callSid()).orElseThrow().hold().holds() == 2, "continue_hold: back on hold");
        assertEquals(sessionsBefore + 1, sessions(), "one wake for the first play, not one per prompt in it");

        // the loop comes round: the whole announcement again, 3 dB quieter, on a different beat of the music
        callee.play(Audio.concat(seconds(music, 8, 11.37), quieter(announcement), seconds(music, 11, 15))).get();
        Thread.sleep(300);
        assertEquals(sessionsBefore + 1, sessions(), "no wake on the second play, in any part of it");
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().hold().repeatsIgnored() >= 1, "the repeat counted");
        HoldUsage hold = calls.find(call.callSid()).orElseThrow().hold();
        assertEquals(1, hold.falseWakes(), hold.toString());
        assertEquals(List.of(), harness.realtime().rejected());
        callee.hangUp();
    }

    /**
     * A song is music the agent dismisses as such, and a person who picks up half a second after it
     * stops is heard at once, first word included. Before, a dismissed song was followed as if it were an
     * announcement until 1.5 s without speech, so the person was taken for more of it and never woke the
     * agent. How many wakes the rest of a song costs is measured by bench/vocal-eval (docs/BENCHMARKS.md).
     */
    @Test
    void aPersonRightAfterASongDismissedAsMusicIsHeard() throws Exception {
        RelayHarness.Call call = callOnHold(203);
        MediaStreamCaller callee = call.caller();
        harness.realtime().script(() -> List.of(Reply.callFunction("continue_hold", "{\"reason\":\"a song\",\"heard\":\"music\"}")
                .heard("La la la.")));
        int sessionsBefore = sessions();

        callee.play(Audio.concat(resource("/audio/song-festival-kal-23s.ulaw"), Audio.silence(500))).get();
        // (a warm socket opened for a sung phrase that did not wake the agent may stay open: it is not a session)
        await(Duration.ofSeconds(5), () -> sessions() > sessionsBefore
                && calls.find(call.callSid()).orElseThrow().hold().falseWakes() == sessions() - sessionsBefore,
                "the song waking the agent, and every such wake dismissed as music");
        int wakesOnTheSong = sessions() - sessionsBefore;

        byte[] person = PhoneLine.carry(seconds(resource("/audio/speech-allison-20s.ulaw"), 9, 13), -20, -50, 9);
        harness.realtime().script(() -> List.of(Reply.speak("Hi, thanks for picking up.", 400).heard("Accounts, how can I help?")));
        callee.play(Audio.concat(person, Audio.silence(800))).get();
        await(Duration.ofSeconds(10), () -> sessions() == sessionsBefore + wakesOnTheSong + 1, "the person after the song waking the agent");
        RealtimeConnection woken = session(sessionsBefore + wakesOnTheSong);
        int firstVoiced = firstVoicedByte(person);
        assertTrue(indexOf(woken.audioReceived(), Arrays.copyOfRange(person, firstVoiced, firstVoiced + 2400)) >= 0,
                "the new session received the person's first word");
        // sung phrases the listener let go after the dismissal are on the record, not silently dropped
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().hold().sungIgnored() > 0,
                "the sung runs let go counted on the record");
        assertEquals(List.of(), harness.realtime().rejected());
        callee.hangUp();
    }

    /**
     * A hold queue plays its playlist round and round. A track with a voice the pitch check lets through
     * (a voice over a band, more spoken than sung) wakes the agent on its first play, each wake dismissed
     * as music; when the playlist comes round, the line has played it before and nobody is woken.
     */
    @Test
    void aPlaylistTheAgentDismissedAsMusicDoesNotWakeItWhenItComesRound() throws Exception {
        RelayHarness.Call call = callOnHold(204);
        MediaStreamCaller callee = call.caller();
        harness.realtime().script(() -> List.of(Reply.callFunction("continue_hold", "{\"reason\":\"a song\",\"heard\":\"music\"}")
                .heard("La la la.")));
        byte[] music = resource("/audio/music-macroform-cold-day-20s.ulaw");
        byte[] track = Audio.mix(seconds(music, 0, 12), seconds(resource("/audio/speech-allison-20s.ulaw"), 0, 12));
        int sessionsBefore = sessions();

        callee.play(Audio.concat(track, Audio.silence(1000))).get();
        await(Duration.ofSeconds(5), () -> sessions() > sessionsBefore
                && calls.find(call.callSid()).orElseThrow().hold().falseWakes() == sessions() - sessionsBefore,
                "the track waking the agent, and every such wake dismissed as music");
        int wakesOnTheFirstRound = sessions() - sessionsBefore;

        callee.play(Audio.concat(seconds(music, 12, 14), quieter(track), Audio.silence(500))).get(); // the playlist comes round, 3 dB quieter
        Thread.sleep(300);
        assertEquals(sessionsBefore + wakesOnTheFirstRound, sessions(), "no wake on the playlist's second round");
        await(Duration.ofSeconds(5), () -> calls.find(call.callSid()).orElseThrow().hold().repeatsIgnored() >= 1,
                "the runs of the second round counted as repeats on the record");
        assertEquals(List.of(), harness.realtime().rejected());
        callee.hangUp();
    }

    /** A call whose other side asks the agent to hold (words made from {@code seed}); returned once the session has closed. */
    private RelayHarness.Call callOnHold(int seed) throws Exception {
        harness.realtime().speed(8.0);
        harness.realtime().clearRecords();
        RelayHarness.Call call = harness.call(List.of(
                Reply.callFunction("wait_on_hold", "{\"reason\":\"asked to hold\"}").heard("Please hold.")), 8.0, "+15553330000");
        call.caller().play(Audio.concat(Audio.speechLike(600, seed), Audio.silence(700))).get();
        await(Duration.ofSeconds(5), () -> harness.realtime().openConnections() == 0, "the session to close for hold");
        return call;
    }

    private static byte[] quieter(byte[] mulaw) {
        return Audio.gain(mulaw, 0.7);
    }
}
