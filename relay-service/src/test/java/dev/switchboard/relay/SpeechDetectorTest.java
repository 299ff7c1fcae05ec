package dev.switchboard.relay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.relay.audio.MuLawCodec;
import dev.switchboard.relay.hold.SpeechDetector;
import java.io.InputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Silero VAD through ONNX Runtime tells real speech from real hold music. */
class SpeechDetectorTest {

    static SpeechDetector.Model model;

    @BeforeAll
    static void load() {
        model = SpeechDetector.Model.load();
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
    }

    /** Fraction of 32 ms frames whose speech probability passes 0.5. */
    static double speechFraction(String resource) throws Exception {
        byte[] audio;
        try (InputStream in = SpeechDetectorTest.class.getResourceAsStream(resource)) {
            audio = in.readAllBytes();
        }
        SpeechDetector detector = new SpeechDetector(model);
        float[] frame = new float[SpeechDetector.FRAME];
        int speech = 0;
        int frames = 0;
        for (int off = 0; off + SpeechDetector.FRAME <= audio.length; off += SpeechDetector.FRAME) {
            for (int i = 0; i < SpeechDetector.FRAME; i++) {
                frame[i] = MuLawCodec.decode(audio[off + i]) / 32768f;
            }
            if (detector.accept(frame, frame.length) > 0.5f) {
                speech++;
            }
            frames++;
        }
        return (double) speech / frames;
    }

    @Test
    void speechIsSpeechAndMusicIsNot() throws Exception {
        double speech = speechFraction("/audio/speech-allison-20s.ulaw");
        double music = speechFraction("/audio/music-macroform-cold-day-20s.ulaw");
        System.out.printf("speech frames: %.2f of speech, %.2f of music%n", speech, music);
        assertTrue(speech > 0.5, "most of a spoken prompt is speech: " + speech);
        assertTrue(music < 0.05, "hold music is not: " + music);
    }
}
