package dev.switchboard.core.call;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code CALL#<CallSid> / CALL} item: everything another process needs to know about a call.
 * {@code streamTokenHash} is the SHA-256 of the one-time stream token; the token itself is never stored.
 * {@code answeredBy} is Twilio's answering machine verdict on calls placed with detection.
 */
public record CallRecord(
        String callSid,
        Direction direction,
        String from,
        String to,
        String agent,
        CallStatus status,
        Optional<String> streamSid,
        Optional<String> relayAddress,
        String streamTokenHash,
        Instant streamTokenExpiresAt,
        Optional<Instant> streamTokenUsedAt,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> answeredAt,
        Optional<Instant> endedAt,
        Optional<Long> durationSeconds,
        Map<String, Instant> streamEvents,
        Optional<Outcome> outcome,
        Optional<Transfer> transfer,
        Optional<String> step,
        Optional<String> task,
        Map<String, String> variables,
        Usage usage,
        HoldUsage hold,
        Optional<String> answeredBy,
        List<TranscriptLine> transcript,
        long version,
        Instant expiresAt) {
}
