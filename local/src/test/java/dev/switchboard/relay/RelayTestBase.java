package dev.switchboard.relay;

import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.config.Settings;
import dev.switchboard.local.LocalStack;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every test of the running relay starts from: its settings, its local stack (DynamoDB Local and
 * the simulators), the call table, and a harness that, after each test, hangs up whatever the test
 * left open, so that a test failing half-way leaves no live call for the next one (which may count
 * sessions).
 */
abstract class RelayTestBase {

    @Inject
    Settings settings;
    @Inject
    LocalStack local;
    @Inject
    CallStore calls;
    @TestHTTPResource("/")
    URI http;

    RelayHarness harness;

    @BeforeEach
    void openHarness() {
        harness = new RelayHarness(settings, local, http);
    }

    @AfterEach
    void hangUpWhatTheTestLeftOpen() {
        harness.close();
    }

    /**
     * Realtime sessions the relay has set up so far: a socket only counts once it is sent its first
     * session.update (later ones, such as turning the model's own answers on, change the same session).
     */
    int sessions() {
        return setUp().size();
    }

    /** The connection of the n-th session set up (0-based). */
    RealtimeConnection session(int n) {
        int id = setUp().get(n);
        return harness.realtime().connections().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    }

    private List<Integer> setUp() {
        return harness.realtime().events("session.update").stream().map(e -> e.connection()).distinct().toList();
    }
}
