package dev.switchboard.simulator.audio;

/** How the simulated model sounds when it says {@code text} (about {@code millis} long). */
public interface Voice {

    /** Mu-law 8 kHz audio for {@code text}. */
    byte[] say(String text, int millis, long seed);

    /** A speech-like sound of the asked length: what tests use, since they count milliseconds heard. */
    Voice SPEECH_LIKE = (text, millis, seed) -> Audio.speechLike(millis, seed);
}
