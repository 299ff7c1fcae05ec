package dev.switchboard.relay.hold;

/**
 * What an hour on hold would cost with the Realtime session left open, for the call record's
 * estimate: the hold audio billed as input audio tokens. It is a floor: with the session open, server
 * VAD also takes music for speech and starts responses, each re-reading the whole conversation.
 *
 * @param audioTokensPerSecond input audio tokens per second of audio (OpenAI: about 10)
 * @param usdPerMillionTokens  the model's input audio price per million tokens
 */
public record HoldCosts(double audioTokensPerSecond, double usdPerMillionTokens) {

    /** The estimate for {@code millis} of hold audio, in millionths of a dollar. */
    public long microUsdFor(long millis) {
        return Math.round(millis / 1000.0 * audioTokensPerSecond * usdPerMillionTokens);
    }
}
