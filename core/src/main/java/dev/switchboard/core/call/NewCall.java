package dev.switchboard.core.call;

import java.time.Instant;

/** What is known when a call first reaches Switchboard. */
public record NewCall(String callSid, Direction direction, String from, String to, String agent,
                      CallStatus status, String streamTokenHash, Instant streamTokenExpiresAt) {
}
