package dev.switchboard.relay.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The relay of every deployment starts with the repository's agents/ (the image copies them): the
 * start-up check (every tool each agent and step names exists here) must pass on them.
 */
class ShippedAgentsTest {

    @Test
    void theRelayStartsWithTheShippedAgents() {
        RelayBeans beans = new RelayBeans();
        Settings settings = Settings.from(name -> Optional.ofNullable(Map.of("AGENTS_DIR", "../agents").get(name)));
        AgentProfiles agents = beans.agents(settings, beans.tools());
        assertTrue(agents.byName("billing-follow-up").isPresent());
    }
}
