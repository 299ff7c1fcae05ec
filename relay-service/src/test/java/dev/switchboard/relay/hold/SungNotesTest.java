package dev.switchboard.relay.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Held notes score high, gliding speech-like pitch and silence score low. */
class SungNotesTest {

    @Test
    void notesHeldForAQuarterSecondEachAreSinging() {
        SungNotes notes = new SungNotes();
        double[] melody = {196, 220, 247, 262, 247, 220};
        play(notes, t -> melody[(int) (t / 0.25) % melody.length]);
        assertTrue(notes.heldShare() > 0.8, "share " + notes.heldShare());
    }

    @Test
    void aSlowVibratoStaysOneNote() {
        SungNotes notes = new SungNotes();
        play(notes, t -> 220 * Math.pow(2, 0.5 / 12 * Math.sin(2 * Math.PI * 5.5 * t))); // ±50 cents at 5.5 Hz
        assertTrue(notes.heldShare() > 0.8, "share " + notes.heldShare());
    }

    @Test
    void pitchThatGlidesAsSpeechDoesIsNotSinging() {
        SungNotes notes = new SungNotes();
        // syllables of 150 ms, each falling four semitones, as an intonation contour does
        play(notes, t -> 180 * Math.pow(2, (2 - 4 * ((t % 0.15) / 0.15)) / 12) * (1 + 0.2 * Math.floor(t / 0.15) % 3));
        assertTrue(notes.heldShare() < 0.2, "share " + notes.heldShare());
    }

    @Test
    void silenceIsNotSinging() {
        SungNotes notes = new SungNotes();
        play(notes, t -> 0);
        assertEquals(0, notes.heldShare());
    }

    /** One second of a harmonic voice (three partials) at the pitch {@code hz(t)}, in 20 ms frames. */
    private static void play(SungNotes notes, DoubleUnaryOperator hz) {
        double phase = 0;
        float[] frame = new float[160];
        for (int f = 0; f < 50; f++) {
            for (int i = 0; i < 160; i++) {
                double t = (f * 160 + i) / 8000.0;
                double pitch = hz.applyAsDouble(t);
                phase += 2 * Math.PI * pitch / 8000;
                frame[i] = pitch == 0 ? 0 : (float) (0.3 * Math.sin(phase) + 0.2 * Math.sin(2 * phase) + 0.1 * Math.sin(3 * phase));
            }
            notes.add(frame, 160);
        }
    }
}
