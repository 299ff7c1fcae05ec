package dev.switchboard.core.call;

import java.time.Instant;

/** One completed keypad entry: its digits (masked when secret), why it ended, and when. */
public record KeypadEntry(String digits, String endedBy, Instant at) {
}
