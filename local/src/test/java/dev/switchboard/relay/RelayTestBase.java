package dev.switchboard.relay;

import dev.switchboard.core.call.CallStore;
import dev.switchboard.core.config.Settings;
import dev.switchboard.local.LocalStack;
import dev.switchboard.simulator.realtime.RealtimeConnection;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URI;
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

    /** Realtime sessions the relay has set up so far (a socket only counts once it is sent its session.update). */
    int sessions() {
        return harness.realtime().events("session.update").size();
    }

    /** The connection of the n-th session set up (0-based). */
    RealtimeConnection session(int n) {
        int id = harness.realtime().events("session.update").get(n).connection();
        return harness.realtime().connections().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    }
}
