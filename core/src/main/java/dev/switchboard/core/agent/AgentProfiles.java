package dev.switchboard.core.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The agents this deployment knows, and which one answers a called number. */
public final class AgentProfiles {

    public static final String DEFAULT_NAME = "default";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, AgentProfile> byName;
    private final Map<String, AgentProfile> byNumber = new LinkedHashMap<>();

    public AgentProfiles(List<AgentProfile> profiles) {
        Map<String, AgentProfile> names = new LinkedHashMap<>();
        for (AgentProfile p : profiles) {
            if (names.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("two agent profiles are named '" + p.name() + "'");
            }
            for (String number : p.numbers()) {
                AgentProfile other = byNumber.putIfAbsent(number, p);
                if (other != null) {
                    throw new IllegalArgumentException("number " + number + " is claimed by agents '"
                            + other.name() + "' and '" + p.name() + "'");
                }
            }
        }
        if (!names.containsKey(DEFAULT_NAME)) {
            names.put(DEFAULT_NAME, builtInDefault());
        }
        this.byName = Map.copyOf(names);
    }

    /**
     * Loads every {@code *.yaml}, {@code *.yml} and {@code *.json} file of a directory (or of several,
     * separated by commas: {@code ./run} adds the local stack's examples), or the built-in default.
     */
    public static AgentProfiles load(Optional<String> agentsDir) {
        if (agentsDir.isEmpty()) {
            return new AgentProfiles(List.of());
        }
        List<AgentProfile> profiles = new ArrayList<>();
        for (String each : agentsDir.get().split(",")) {
            if (!each.isBlank()) {
                profiles.addAll(loadDirectory(Path.of(each.trim())));
            }
        }
        return new AgentProfiles(profiles);
    }

    private static List<AgentProfile> loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("AGENTS_DIR " + dir.toAbsolutePath() + " is not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files
                    .filter(f -> f.getFileName().toString().matches(".*\\.(ya?ml|json)$"))
                    .sorted()
                    .map(AgentProfiles::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list AGENTS_DIR " + dir, e);
        }
    }

    static AgentProfile read(Path file) {
        try {
            return YAML.readValue(file.toFile(), AgentProfile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("agent profile " + file + " is invalid: " + e.getMessage(), e);
        }
    }

    private static AgentProfile builtInDefault() {
        try (InputStream in = AgentProfiles.class.getResourceAsStream("/agents/default.yaml")) {
            return YAML.readValue(in, AgentProfile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in default agent cannot be read", e);
        }
    }

    /** The agent for a called number, or the default agent. */
    public AgentProfile forCalledNumber(String number) {
        AgentProfile p = number == null ? null : byNumber.get(number);
        return p != null ? p : byName.get(DEFAULT_NAME);
    }

    public Optional<AgentProfile> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public java.util.Collection<AgentProfile> all() {
        return byName.values();
    }

    public AgentProfile byNameOrDefault(String name) {
        return byName(name).orElseGet(() -> byName.get(DEFAULT_NAME));
    }
}
