package dev.switchboard.core.call;

import java.util.Optional;

/**
 * The last hand-off of a call to a person: where to, why, the summary left for them, and, once the
 * {@code <Dial>} finished, how it went ({@code completed}, {@code busy}, {@code no-answer}, ...).
 */
public record Transfer(String target, String reason, String summary, Optional<String> result) {
}
