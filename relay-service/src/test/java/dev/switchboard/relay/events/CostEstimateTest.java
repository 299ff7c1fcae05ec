package dev.switchboard.relay.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Direction;
import dev.switchboard.core.call.Usage;
import org.junit.jupiter.api.Test;

class CostEstimateTest {

    /** Round figures, so each expectation below can be checked by hand. */
    static final Prices PRICES = new Prices() {
        public double inputAudioTokensPerSecond() { return 10; }
        public double inputAudioUsdPerMillion() { return 30; }
        public double inputTextUsdPerMillion() { return 5; }
        public double cachedInputUsdPerMillion() { return 1; }
        public double outputAudioUsdPerMillion() { return 60; }
        public double outputTextUsdPerMillion() { return 20; }
        public double twilioInboundUsdPerMinute() { return 0.01; }
        public double twilioOutboundUsdPerMinute() { return 0.02; }
    };

    static Usage usage(long textIn, long audioIn, long cached, long textOut, long audioOut) {
        return new Usage(textIn + audioIn, textOut + audioOut, textIn, audioIn, cached, textOut, audioOut, 1, 0);
    }

    @Test
    void eachKindOfTokenAtItsPriceAndEveryStartedMinuteOfTheLine() {
        ObjectNode cost = CostEstimate.of(PRICES, usage(100_000, 200_000, 0, 10_000, 50_000), Direction.INBOUND, 61_000);
        // 0.1 M text in × 5 + 0.2 M audio in × 30 + 0.01 M text out × 20 + 0.05 M audio out × 60 = 0.5 + 6 + 0.2 + 3
        assertEquals(9.7, cost.path("model_usd").asDouble(), 1e-9);
        assertEquals(2, cost.path("billed_minutes").asLong(), "61 s is two started minutes");
        assertEquals(0.02, cost.path("telephony_usd").asDouble(), 1e-9);
        assertEquals(9.72, cost.path("total_usd").asDouble(), 1e-9);
    }

    @Test
    void cachedInputIsTakenFromTextAndAudioInTheirProportion() {
        // 300 k input, a third text: 150 k cached is 50 k text + 100 k audio at the cached price
        ObjectNode cost = CostEstimate.of(PRICES, usage(100_000, 200_000, 150_000, 0, 0), Direction.OUTBOUND, 60_000);
        // 0.05 M text × 5 + 0.1 M audio × 30 + 0.15 M cached × 1 = 0.25 + 3 + 0.15
        assertEquals(3.4, cost.path("model_usd").asDouble(), 1e-9);
        assertEquals(0.02, cost.path("telephony_usd").asDouble(), 1e-9, "one outbound minute");
    }

    @Test
    void aCallWithNoTokensAndNoTimeCostsNothing() {
        ObjectNode cost = CostEstimate.of(PRICES, Usage.ZERO, Direction.INBOUND, 0);
        assertEquals(0.0, cost.path("total_usd").asDouble());
        assertEquals(0, cost.path("billed_minutes").asLong());
    }
}
