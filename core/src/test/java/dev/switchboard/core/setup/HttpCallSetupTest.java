package dev.switchboard.core.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.agent.AgentProfile;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpCallSetupTest {

    @Test
    void withoutItsSigningSecretTheSetupIsNeverAskedUnsigned() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger asked = new AtomicInteger();
        server.createContext("/setup", exchange -> {
            asked.incrementAndGet();
            byte[] out = "{\"variables\":{\"customer\":\"Ada\"}}".getBytes();
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        try {
            AgentProfile agent = new ObjectMapper(new YAMLFactory()).readValue("name: a\ninstructions: Help.\nsetup:\n  http:\n"
                    + "    url: http://127.0.0.1:" + server.getAddress().getPort() + "/setup\n    secretVariable: SETUP_SECRET\n",
                    AgentProfile.class);
            Map<String, String> call = Map.of("id", "CA1", "from", "+15551230000", "to", "+15559870000", "direction", "inbound");
            assertEquals(SetupAnswer.NONE, new HttpCallSetup(name -> Optional.empty(), Clock.systemUTC()).ask(agent, call));
            assertEquals(0, asked.get(), "not asked without a signature");
            SetupAnswer signed = new HttpCallSetup(name -> Optional.of("s3cret"), Clock.systemUTC()).ask(agent, call);
            assertEquals(Map.of("customer", "Ada"), signed.variables());
            assertEquals(1, asked.get());
        } finally {
            server.stop(0);
        }
    }
}
