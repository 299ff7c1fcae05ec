package dev.switchboard.relay.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.agent.WebhookSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The event types a call really emits, the ones a webhook may subscribe to and the README's table are
 * one list: an event added in the code and forgotten in either fails here.
 */
class EventTypesTest {

    private static final Pattern EMIT = Pattern.compile("emit\\(\"([a-z_]+)\"");

    @Test
    void everyEmittedTypeIsSubscribableAndDocumented() throws IOException {
        Set<String> emitted = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path file : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = EMIT.matcher(Files.readString(file));
                while (m.find()) {
                    emitted.add(m.group(1));
                }
            }
        }
        assertTrue(emitted.size() > 20, "the scan found the emitting code: " + emitted);
        assertEquals(emitted, new TreeSet<>(WebhookSettings.KNOWN), "WebhookSettings.KNOWN against what the relay emits");
        String readme = Files.readString(Path.of("../README.md"));
        for (String type : emitted) {
            assertTrue(readme.contains("`" + type + "`"), "the README's event table names " + type);
        }
        assertTrue(WebhookSettings.KNOWN.containsAll(WebhookSettings.DEFAULT));
    }
}
