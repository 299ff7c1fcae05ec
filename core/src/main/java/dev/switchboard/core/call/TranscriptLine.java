package dev.switchboard.core.call;

import java.time.Instant;

/** One turn of the conversation as text: who said it ({@code caller} or {@code agent}) and when. */
public record TranscriptLine(String speaker, String text, Instant at) {
}
