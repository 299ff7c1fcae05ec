package dev.switchboard.relay.keypad;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code collect_digits} asks for: how many digits, how they end, what they must match, how many
 * tries, and whether the value is secret (a PIN: masked everywhere, never given to the model).
 */
public record DigitSpec(String name, int minLength, int maxLength, String terminator, long timeoutMs,
                        Optional<Pattern> pattern, int retries, boolean confirm, boolean secret) {

    /** Why a value is not acceptable, or empty if it is. */
    public Optional<String> problem(String digits) {
        if (digits.isEmpty()) {
            return Optional.of("no digits were entered");
        }
        if (digits.length() < minLength || digits.length() > maxLength) {
            String wanted = minLength == maxLength ? minLength + " digits" : minLength + " to " + maxLength + " digits";
            return Optional.of("the " + name + " was " + digits.length() + " digits long; " + wanted + " are required");
        }
        if (pattern.isPresent() && !pattern.get().matcher(digits).matches()) {
            return Optional.of("the " + name + " is not valid");
        }
        return Optional.empty();
    }

    /** Digits read from what the caller said ("four one two", "4-1-2", "oh seven"): empty if none. */
    public static String fromSpeech(String transcript) {
        StringBuilder digits = new StringBuilder();
        for (String word : transcript.toLowerCase().split("[^a-z0-9]+")) {
            switch (word) {
                case "zero", "oh", "o" -> digits.append('0');
                case "one" -> digits.append('1');
                case "two", "to", "too" -> digits.append('2');
                case "three" -> digits.append('3');
                case "four", "for" -> digits.append('4');
                case "five" -> digits.append('5');
                case "six" -> digits.append('6');
                case "seven" -> digits.append('7');
                case "eight" -> digits.append('8');
                case "nine" -> digits.append('9');
                default -> {
                    if (word.chars().allMatch(Character::isDigit)) {
                        digits.append(word);
                    }
                }
            }
        }
        return digits.toString();
    }

    /** What logs, transcripts, records and events show of a value. */
    public String shown(String digits) {
        return secret ? "•".repeat(digits.length()) : digits;
    }
}
