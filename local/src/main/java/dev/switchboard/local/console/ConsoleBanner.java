package dev.switchboard.local.console;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.AgentProfiles;
import dev.switchboard.local.LocalStack;
import dev.switchboard.relay.config.InternalToken;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a person starting {@code ./run} needs to see: where the console is (with the token in the
 * address's fragment, which browsers never send to a server), the agent profiles loaded and the routes.
 * The token is printed only when it is the published local one or was printed already for this run.
 */
@Singleton
public class ConsoleBanner {

    private final AgentProfiles agents;
    private final InternalToken token;
    private final int port;
    private final boolean demo;

    public ConsoleBanner(AgentProfiles agents, InternalToken token, @ConfigProperty(name = "quarkus.http.port") int port,
                         @ConfigProperty(name = "switchboard.demo", defaultValue = "false") boolean demo) {
        this.agents = agents;
        this.token = token;
        this.port = port;
        this.demo = demo;
    }

    void onStart(@Observes StartupEvent event) {
        if (demo) {
            return;
        }
        String fragment = token.value().equals(LocalStack.LOCAL_INTERNAL_TOKEN) ? "#token=" + token.value() : "#token=<the token above>";
        System.out.println();
        System.out.println("Switchboard is running. Console and browser phone: http://localhost:" + port + "/" + fragment);
        System.out.println("Agent profiles: " + agents.all().stream().map(ConsoleBanner::describe).sorted().collect(Collectors.joining(", ")));
        System.out.println("Routes: POST /twilio/voice, /twilio/status, /twilio/stream-status, /twilio/stream-ended, /twilio/amd,"
                + " /twilio/dial-result (Twilio's webhooks, signed); WS /media-stream (Twilio media streams);"
                + " POST /calls/outbound, /calls/actions (Bearer token); WS /console/live, POST /console/phone, /console/phone/hangup (console)");
        System.out.println();
    }

    private static String describe(AgentProfile agent) {
        return agent.numbers().isEmpty() ? agent.name() : agent.name() + " " + agent.numbers();
    }
}
