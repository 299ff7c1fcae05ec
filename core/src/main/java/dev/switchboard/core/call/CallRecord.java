package dev.switchboard.core.call;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code CALL#<CallSid> / CALL} item: everything another process needs to know about a call.
 * {@code streamTokenHash} is the SHA-256 of the one-time stream token; the token itself is never stored.
 * {@code answeredBy} is Twilio's answering machine verdict on calls placed with detection.
 * {@code resumes} counts the streams opened again after one ended without an outcome (a relay lost or
 * drained); {@code resuming} is set from such a resumption until the relay that takes the call has
 * restored it; {@code holding} says the call is on hold, so a relay that takes it over keeps listening.
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
        int resumes,
        boolean resuming,
        boolean holding,
        long version,
        Instant expiresAt) {
}
