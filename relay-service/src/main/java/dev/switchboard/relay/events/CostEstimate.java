package dev.switchboard.relay.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.Usage;

/**
 * What a call cost, estimated from its token usage and duration at {@link Prices}: the model (input
 * text, input audio, cached input, output text, output audio) and the phone line (Twilio bills each
 * started minute). Usage records cached input as one figure: it is taken out of text and audio input in
 * their proportion before the uncached rest is priced.
 */
public final class CostEstimate {

    private CostEstimate() {
    }

    public static ObjectNode of(Prices prices, Usage usage, Direction direction, long durationMs) {
        double inputKnown = usage.inputTextTokens() + usage.inputAudioTokens();
        double audioShare = inputKnown == 0 ? 0 : usage.inputAudioTokens() / inputKnown;
        double cached = Math.min(usage.cachedTokens(), inputKnown);
        double audioIn = usage.inputAudioTokens() - cached * audioShare;
        double textIn = usage.inputTextTokens() - cached * (1 - audioShare);
        double model = (audioIn * prices.inputAudioUsdPerMillion() + textIn * prices.inputTextUsdPerMillion()
                + cached * prices.cachedInputUsdPerMillion() + usage.outputAudioTokens() * prices.outputAudioUsdPerMillion()
                + usage.outputTextTokens() * prices.outputTextUsdPerMillion()) / 1_000_000;
        long minutes = (durationMs + 59_999) / 60_000;
        double line = minutes * (direction == Direction.OUTBOUND ? prices.twilioOutboundUsdPerMinute() : prices.twilioInboundUsdPerMinute());
        return CallEvents.fields().put("model_usd", round(model)).put("telephony_usd", round(line))
                .put("total_usd", round(model + line)).put("billed_minutes", minutes);
    }

    private static double round(double usd) {
        return Math.round(usd * 1_000_000) / 1_000_000.0;
    }
}
