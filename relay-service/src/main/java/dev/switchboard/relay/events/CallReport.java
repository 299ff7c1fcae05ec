package dev.switchboard.relay.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.CallRecord;
import dev.switchboard.core.call.TranscriptLine;
import java.time.Duration;
import java.time.Instant;

/**
 * The end-of-call report ({@code call_report}): how the call ended, how long it lasted, what was said,
 * the tokens it used, what its holds cost and saved, and what the call cost (an estimate at
 * {@link Prices}), from the record once the outcome is on it.
 */
public final class CallReport {

    private static final ObjectMapper SNAKE = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private CallReport() {
    }

    public static ObjectNode of(CallRecord call, Prices prices) {
        ObjectNode report = CallEvents.fields();
        call.outcome().ifPresent(o -> report.put("outcome", o.kind()).put("reason", o.reason()));
        Instant start = call.answeredAt().orElse(call.createdAt());
        Instant end = call.endedAt().orElse(call.updatedAt());
        report.put("started_at", start.toString()).put("ended_at", end.toString())
                .put("duration_ms", Math.max(0, Duration.between(start, end).toMillis()));
        ArrayNode transcript = report.putArray("transcript");
        for (TranscriptLine line : call.transcript()) {
            transcript.addObject().put("role", line.speaker()).put("text", line.text()).put("at", line.at().toString());
        }
        report.set("usage", SNAKE.valueToTree(call.usage()));
        report.set("hold", SNAKE.valueToTree(call.hold()));
        report.put("resumes", call.resumes());
        report.set("cost", CostEstimate.of(prices, call.usage(), call.direction(), report.path("duration_ms").asLong()));
        return report;
    }
}
