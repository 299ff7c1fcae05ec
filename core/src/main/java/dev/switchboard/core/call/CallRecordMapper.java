package dev.switchboard.core.call;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import java.util.stream.Collectors;

/** Reads a stored {@code CALL} item back into a {@link CallRecord}. */
final class CallRecordMapper {

    private CallRecordMapper() {
    }

    static CallRecord fromItem(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> usage = item.getOrDefault("usage", AttributeValue.fromM(Map.of())).m();
        Map<String, AttributeValue> hold = item.getOrDefault("hold", AttributeValue.fromM(Map.of())).m();
        Map<String, Instant> streamEvents = new LinkedHashMap<>();
        item.getOrDefault("streamEvents", AttributeValue.fromM(Map.of())).m()
                .forEach((k, v) -> streamEvents.put(k, Instant.parse(v.s())));
        List<TranscriptLine> transcript = item.getOrDefault("transcript", AttributeValue.fromL(List.of())).l().stream()
                .map(AttributeValue::m)
                .map(m -> new TranscriptLine(m.get("speaker").s(), m.get("text").s(), Instant.parse(m.get("at").s())))
                .toList();
        Optional<Outcome> outcome = Optional.ofNullable(item.get("outcome")).map(AttributeValue::m)
                .map(m -> new Outcome(m.get("kind").s(), m.get("reason").s(), str(m, "target")));
        return new CallRecord(
                item.get("callSid").s(),
                Direction.valueOf(item.get("direction").s().toUpperCase(Locale.ROOT)),
                item.get("from").s(),
                item.get("to").s(),
                item.get("agent").s(),
                CallStatus.fromWire(item.get("status").s()).orElseThrow(),
                str(item, "streamSid"),
                str(item, "relayAddress"),
                item.get("streamTokenHash").s(),
                Instant.parse(item.get("streamTokenExpiresAt").s()),
                str(item, "streamTokenUsedAt").map(Instant::parse),
                Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("updatedAt").s()),
                str(item, "answeredAt").map(Instant::parse),
                str(item, "endedAt").map(Instant::parse),
                Optional.ofNullable(item.get("durationSeconds")).map(v -> Long.parseLong(v.n())),
                Map.copyOf(streamEvents),
                outcome,
                Optional.ofNullable(item.get("transfer")).map(AttributeValue::m)
                        .map(m -> new Transfer(m.get("target").s(), m.get("reason").s(), m.get("summary").s(), str(m, "result"))),
                str(item, "step"),
                str(item, "task"),
                Optional.ofNullable(item.get("variables")).filter(AttributeValue::hasM).map(v -> v.m().entrySet().stream()
                        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().s())))
                        .orElse(Map.of()),
                new Usage(num(usage, "inputTokens"), num(usage, "outputTokens"), num(usage, "inputTextTokens"),
                        num(usage, "inputAudioTokens"), num(usage, "cachedTokens"), num(usage, "outputTextTokens"),
                        num(usage, "outputAudioTokens"), num(usage, "responses"), num(usage, "audioMillisSent")),
                new HoldUsage(num(hold, "holds"), num(hold, "heldMillis"), num(hold, "wakes"), num(hold, "falseWakes"),
                        num(hold, "repeatsIgnored"), num(hold, "wakeAudioMillis"), num(hold, "avoidedMicroUsd"),
                        num(hold, "warmWakes"), num(hold, "sungIgnored")),
                str(item, "answeredBy"),
                transcript,
                (int) num(item, "resumes"),
                bool(item, "resuming"),
                bool(item, "holding"),
                Long.parseLong(item.get("version").n()),
                Instant.ofEpochSecond(Long.parseLong(item.get("expiresAt").n())));
    }

    private static Optional<String> str(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    private static boolean bool(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    private static long num(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
