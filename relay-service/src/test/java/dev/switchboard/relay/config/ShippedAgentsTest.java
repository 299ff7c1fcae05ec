package dev.switchboard.relay.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.core.config.Settings;
import dev.switchboard.relay.customtool.ToolServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay of every deployment starts with the repository's agents/ (the image copies them): the
 * start-up check (every tool each agent and step names exists here) must pass on them.
 */
class ShippedAgentsTest {

    @Test
    void theRelayStartsWithTheShippedAgents() {
        RelayBeans beans = new RelayBeans();
        Settings settings = Settings.from(name -> Optional.ofNullable(Map.of("AGENTS_DIR", "../agents").get(name)));
        ToolServers servers = new ToolServers(name -> Optional.empty(), Clock.systemUTC());
        AgentProfiles agents = beans.agents(settings, beans.tools(servers));
        assertTrue(agents.byName("billing-follow-up").isPresent());
    }

    @Test
    void aCustomToolWhoseSecretOrHeaderIsNotSetStopsTheStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("orders.yaml"), """
                name: orders
                instructions: Look orders up.
                customTools:
                  - name: order_status
                    description: The status of an order.
                    http:
                      url: https://tools.example.com/order-status
                      secretVariable: ORDER_TOOL_SECRET
                      headers: { Authorization: ORDER_API_TOKEN }
                """);
        RelayBeans beans = new RelayBeans();
        Settings settings = Settings.from(name -> Optional.ofNullable(Map.of("AGENTS_DIR", dir.toString()).get(name)));
        Map<String, String> env = Map.of("ORDER_TOOL_SECRET", "s3cret");
        ToolServers servers = new ToolServers(name -> Optional.ofNullable(env.get(name)), Clock.systemUTC());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.agents(settings, beans.tools(servers)));
        assertTrue(e.getMessage().contains("'orders'") && e.getMessage().contains("customTools.order_status.http.headers.Authorization")
                && e.getMessage().contains("ORDER_API_TOKEN") && !e.getMessage().contains("s3cret"), e.getMessage());
    }
}
