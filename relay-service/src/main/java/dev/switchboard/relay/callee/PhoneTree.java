package dev.switchboard.relay.callee;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The menu prompts heard on a call and the keys sent between them: the path taken through a phone
 * tree, and how often the same prompt came back. Two transcripts of one recording differ by a word
 * or two, so prompts are compared by their words (the share of words in common), not verbatim.
 */
public final class PhoneTree {

    /** Prompts sharing at least this share of their words are one prompt heard again. */
    static final double SAME_PROMPT = 0.75;

    /** A prompt and how many times it was heard before. */
    public record Prompt(String text, int repeats) {
    }

    private final List<Set<String>> prompts = new ArrayList<>();
    private final List<Integer> heardCount = new ArrayList<>();
    private final List<String> path = new ArrayList<>();

    public Prompt heard(String text) {
        Set<String> words = words(text);
        path.add("heard: " + text);
        for (int i = 0; i < prompts.size(); i++) {
            if (similarity(words, prompts.get(i)) >= SAME_PROMPT) {
                heardCount.set(i, heardCount.get(i) + 1);
                return new Prompt(text, heardCount.get(i) - 1);
            }
        }
        prompts.add(words);
        heardCount.add(1);
        return new Prompt(text, 0);
    }

    public void keysSent(String keys) {
        path.add("pressed: " + keys);
    }

    /** What was heard and pressed, in order. */
    public List<String> path() {
        return List.copyOf(path);
    }

    static double similarity(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return (double) common.size() / Math.max(a.size(), b.size());
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }
}
