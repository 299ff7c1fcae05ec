package dev.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as {@code ./run} starts it: the packaged jar in a process of its own, on real
 * sockets. It listens on loopback only, keeps a real account behind a generated token, refuses to
 * start on a broken agent profile, and stops without an error.
 */
class LocalRunIT {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Pattern LISTENING = Pattern.compile("Listening on: http://([0-9.]+):(\\d+)");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A started local stack and everything it printed. */
    record Run(Process process, Path output) implements AutoCloseable {
        String printed() throws IOException {
            return Files.readString(output);
        }

        /** Waits for text matching {@code pattern}; null if the process ended or the time ran out. */
        Matcher await(Pattern pattern, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = pattern.matcher(printed());
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive()) {
                    return null;
                }
                Thread.sleep(100);
            }
            return null;
        }

        /** SIGTERM, as Ctrl-C or a container stop sends. */
        void stop() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the local stack did not stop");
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static Run start(Path dir, Map<String, String> env) throws IOException {
        return start(dir, env, 0);
    }

    /** {@code port} 0: any free port. */
    static Run start(Path dir, Map<String, String> env, int port) throws IOException {
        Path output = dir.resolve("run.log");
        List<String> command = new ArrayList<>(List.of("java", "-Dquarkus.profile=local", "-Dquarkus.http.port=" + port,
                "-Dswitchboard.local.realtime-port=0", "-Dswitchboard.local.twilio-port=0", "-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TWILIO_") || k.startsWith("OPENAI_")
                || k.equals("RELAY_INTERNAL_TOKEN") || k.startsWith("QUARKUS_HTTP"));
        pb.environment().put("AGENTS_DIR", Path.of("../agents").toAbsolutePath().toString());
        pb.environment().putAll(env);
        return new Run(pb.start(), output);
    }

    static HttpResponse<String> outbound(URI base, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/calls/outbound")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void itListensOnLoopbackAndStopsWithoutAnError(@TempDir Path dir) throws Exception {
        try (Run run = start(dir, Map.of())) {
            Matcher listening = run.await(LISTENING, Duration.ofSeconds(60));
            assertNotNull(listening, "did not start:\n" + run.printed());
            assertEquals("127.0.0.1", listening.group(1), "a local run is not open to the network");
            URI base = URI.create("http://127.0.0.1:" + listening.group(2));
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertTrue(run.printed().contains("with no network port"), "DynamoDB Local has no port:\n" + run.printed());
            // ONNX Runtime and the model (about 53 MB) wait for the first hold; an idle run does not carry them
            assertFalse(run.printed().contains("speech model loaded"), "the speech model is not loaded at start:\n" + run.printed());
            run.stop();
            assertFalse(run.printed().contains(" ERROR "), "a clean stop logs no error:\n" + run.printed());
        }
    }

    @Test
    void withARealAccountThePublishedTokenOpensNothing(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("TWILIO_ACCOUNT_SID", "AC" + "1".repeat(32), "TWILIO_AUTH_TOKEN", "real-looking",
                "TWILIO_API_BASE_URL", "http://127.0.0.1:9");
        try (Run run = start(dir, env)) {
            Matcher listening = run.await(LISTENING, Duration.ofSeconds(60));
            assertNotNull(listening, "did not start:\n" + run.printed());
            URI base = URI.create("http://127.0.0.1:" + listening.group(2));
            Matcher printed = run.await(Pattern.compile("need this token for this run: ([0-9a-f]{48})"), Duration.ofSeconds(5));
            assertNotNull(printed, "the generated token is printed once:\n" + run.printed());
            assertEquals(401, outbound(base, LocalStack.LOCAL_INTERNAL_TOKEN).statusCode(), "the published token is refused");
            assertNotEquals(401, outbound(base, printed.group(1)).statusCode(), "the printed token is taken");
            String all = run.printed();
            assertEquals(all.indexOf(printed.group(1)), all.lastIndexOf(printed.group(1)), "printed once only");
        }
    }

    @Test
    void aTypoInAProfileStopsTheStartNamingTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        Files.writeString(agents.resolve("front-desk.yaml"), "name: front-desk\ninstructions: Be brief.\ngreting: Hello\n");
        try (Run run = start(dir, Map.of("AGENTS_DIR", agents.toString()))) {
            assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "a broken profile must stop the start");
            assertNotEquals(0, run.process().exitValue());
            String printed = run.printed();
            assertTrue(printed.contains("front-desk.yaml") && printed.contains("greting"), printed);
            assertFalse(LISTENING.matcher(printed).find(), "it never served a request");
        }
    }
}
