package dev.switchboard.relay.callee;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What answered a call the agent placed, from the words heard: a call-screening assistant, a voicemail
 * greeting, a phone menu, a queue or hold recording, a company greeting that may be either a person or a
 * recording (wait for more), or a person (words a person says, or none of the above).
 *
 * <p>Phrase rules written here, in English: no library classifies telephone prompts, the phrases
 * are few and stable across systems, and a rule that fires is explainable in the call's events. A
 * prompt in another language falls through to {@code PERSON} after the settle time, which is what
 * the agent did before this existed.
 */
public enum CalleeKind {
    SCREENER, VOICEMAIL, MENU, RECORDING, GREETING, PERSON;

    private static final List<Pattern> SCREENER_PHRASES = patterns(
            "state your name", "say your name", "record your name", "who('s| is) calling", "reason for (your|the|this) call",
            "why (you're|you are) calling", "call(ing)? screen", "being screened", "screening service", "google assistant",
            "what (is|'s) this (call )?(regarding|about)", "what (this|the|your) call is (regarding|about)",
            "(may|can) i (ask|say) (who|what)", "(the person|who) you('re| are) calling (is|will) ");
    private static final List<Pattern> VOICEMAIL_PHRASES = patterns(
            "leave (a|your) (brief |short )?message", "after the (tone|beep)", "at the (tone|beep)", "voice ?mail", "mailbox",
            "(can't|cannot|can not) (come to|take) (the|your) (phone|call)", "(is )?not available( right now)?(,|\\.| to)",
            "record your message");
    private static final List<Pattern> MENU_PHRASES = patterns(
            "\\bpress\\b", "\\boprima\\b", "\\bmarque\\b", "\\bdial\\b (zero|one|two|three|four|five|six|seven|eight|nine|\\d)",
            "say or (press|enter)", "main menu", "(enter|key in) your .{0,40}(number|pin|code|extension)",
            "followed by (the )?(pound|hash)", "\\bextension\\b", "for (english|spanish|espa)", "(choose|select) (from )?the following",
            "(listen|listen carefully) (to|as) (the|our) (following |menu )?options", "options have changed");
    private static final List<Pattern> PERSON_PHRASES = patterns(
            "how (can|may) i (help|assist)", "\\bspeaking\\b", "what can i do for you", "^(hello|hi|hey|yes|yeah)\\b[?.!,]?\\s*$");
    private static final List<Pattern> GREETING_PHRASES = patterns(
            "thank(s| you) for calling", "welcome to", "you('ve| have) reached");
    private static final List<Pattern> RECORDING_PHRASES = patterns(
            "please (hold|stay on the line|continue to hold|remain on the line)", "your call is (very )?important",
            "(all|each) of our (agents|representatives|associates|staff)", "(currently )?(assisting|helping) other (callers|customers)",
            "(estimated|expected|approximate) (wait|hold) time", "in the queue", "(calls?|call) (will|may) be (recorded|monitored)",
            "will be with you (shortly|soon|momentarily)", "the next available");

    /**
     * The kind the words point at; screeners first (they often say "after the tone" too), then voicemail,
     * menus, what people say ("... speaking, how can I help?"), queue recordings and company greetings.
     */
    public static CalleeKind of(String words) {
        String text = words.toLowerCase(Locale.ROOT).replace('’', '\'');
        if (any(SCREENER_PHRASES, text)) {
            return SCREENER;
        }
        if (any(VOICEMAIL_PHRASES, text)) {
            return VOICEMAIL;
        }
        if (any(MENU_PHRASES, text)) {
            return MENU;
        }
        if (any(PERSON_PHRASES, text)) {
            return PERSON;
        }
        if (any(RECORDING_PHRASES, text)) {
            return RECORDING;
        }
        return any(GREETING_PHRASES, text) ? GREETING : PERSON;
    }

    private static boolean any(List<Pattern> patterns, String text) {
        return patterns.stream().anyMatch(p -> p.matcher(text).find());
    }

    private static List<Pattern> patterns(String... regexes) {
        return List.of(regexes).stream().map(Pattern::compile).toList();
    }
}
