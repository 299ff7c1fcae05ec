package dev.switchboard.relay.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The prices the call report's cost estimate and the hold's savings use ({@code switchboard.cost.*}).
 * Defaults are OpenAI's published {@code gpt-realtime} prices and Twilio's US list prices per minute
 * (December 2026); set your own when your model, contract or country differs. Estimates, never a bill.
 */
@ConfigMapping(prefix = "switchboard.cost")
public interface Prices {

    /** Input audio tokens per second of audio (OpenAI bills about 10). */
    @WithDefault("10")
    double inputAudioTokensPerSecond();

    @WithDefault("32")
    double inputAudioUsdPerMillion();

    @WithDefault("4")
    double inputTextUsdPerMillion();

    /** Cached input, text or audio. */
    @WithDefault("0.4")
    double cachedInputUsdPerMillion();

    @WithDefault("64")
    double outputAudioUsdPerMillion();

    @WithDefault("16")
    double outputTextUsdPerMillion();

    /** Twilio's price per started minute of an inbound call (local number), media stream included. */
    @WithDefault("0.0125")
    double twilioInboundUsdPerMinute();

    /** Twilio's price per started minute of an outbound call, media stream included. */
    @WithDefault("0.018")
    double twilioOutboundUsdPerMinute();
}
