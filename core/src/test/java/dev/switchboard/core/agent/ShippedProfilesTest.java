package dev.switchboard.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The profiles in the repository's agents/ directory ship in every deployment: a typo must fail the build. */
class ShippedProfilesTest {

    private static final Path AGENTS = Path.of("..", "agents");

    @Test
    void everyShippedProfileLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(AGENTS)) {
            files = list.filter(f -> f.getFileName().toString().matches(".*\\.(ya?ml|json)$")).toList();
        }
        assertTrue(!files.isEmpty(), "agents/ holds the example profile");
        for (Path file : files) {
            AgentProfile profile = AgentProfiles.read(file);
            assertTrue(profile.name() != null && !profile.name().isBlank(), file + " names its agent");
        }
        AgentProfiles.load(Optional.of(AGENTS.toString())); // names and numbers unique across files
    }

    @Test
    void theLocalExamplesLoadBesideTheShippedProfilesAsRunReadsThem() {
        AgentProfiles profiles = AgentProfiles.load(Optional.of(AGENTS + "," + Path.of("..", "local", "agents")));
        AgentProfile desk = profiles.forCalledNumber("+15559870000");
        assertEquals("order-desk", desk.name(), "./run demo's number reaches the example agent");
        assertEquals("order_status", desk.customTools().get(0).name());
        assertTrue(profiles.byName("billing-follow-up").isPresent());
    }

    @Test
    void theExampleOutboundAgentWaitsOnHoldAndAnswersNoNumber() {
        AgentProfiles profiles = AgentProfiles.load(Optional.of(AGENTS.toString()));
        AgentProfile example = profiles.byName("billing-follow-up").orElseThrow();
        assertEquals(List.of(), example.numbers(), "an example must not take over a real number");
        assertTrue(example.tools().containsAll(List.of("wait_on_hold", "continue_hold", "end_call")), example.tools().toString());
        assertEquals(40.0, example.hold().maxMinutes());
        assertEquals("default", profiles.forCalledNumber("+15559870000").name());
    }
}
