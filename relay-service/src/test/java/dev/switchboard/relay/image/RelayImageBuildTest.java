package dev.switchboard.relay.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs here, so the relay image's build stage is played by hand: exactly what its
 * {@code COPY} lines copy is staged into an empty directory and its build command runs there. A file
 * the build needs but the Dockerfile does not copy fails this test, not a user's {@code docker build}.
 * The runtime stage's sources must then exist, its steps (the class-data archive) must run in a
 * directory holding what it copies, the relay must serve from there with that archive, and the shipped
 * libraries must hold none of the local stack (DynamoDB Local, its SDK v1, Jetty, sqlite4java, the
 * simulators).
 */
class RelayImageBuildTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DOCKERFILE = ROOT.resolve("infra/relay/Dockerfile");

    /** One stage of the Dockerfile: its COPY lines (source, destination, from) and RUN commands. */
    record Copy(String source, String destination, String from) {
    }

    record Stage(List<Copy> copies, List<String> runs) {
    }

    @Test
    void theBuildStageBuildsFromWhatItCopies(@TempDir Path work) throws Exception {
        List<Stage> stages = stages(Files.readAllLines(DOCKERFILE));
        assertEquals(2, stages.size(), "a build stage and a runtime stage");
        Stage build = stages.get(0);
        for (Copy copy : build.copies()) {
            stage(ROOT.resolve(copy.source()), work.resolve(copy.destination()), copy.destination().endsWith("/"));
        }
        String command = build.runs().get(build.runs().size() - 1); // the package step; go-offline is optional
        Process process = new ProcessBuilder("bash", "-c", command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("build.log").toFile()).start();
        assertTrue(process.waitFor(15, TimeUnit.MINUTES), "the image's build step did not finish");
        assertEquals(0, process.exitValue(), "the image's build step failed in a directory holding only what the"
                + " Dockerfile copies:\n" + tail(work.resolve("build.log")));

        Stage runtime = stages.get(1);
        Path app = work.resolve("app"); // the runtime stage's /app
        for (Copy copy : runtime.copies()) {
            Path source = copy.from() == null ? ROOT.resolve(copy.source()) : work.resolve(copy.source().replaceFirst("^/src/", ""));
            assertTrue(Files.exists(source), "the runtime stage copies " + copy.source() + ", which does not exist");
            stage(source, app.resolve(copy.destination().replaceFirst("^/app/?", "")), copy.destination().endsWith("/"));
        }
        // the stage's own scripts (the class-data archive), not its system steps (useradd) on this machine
        for (String run : runtime.runs().stream().filter(r -> r.startsWith("./")).toList()) {
            Process step = new ProcessBuilder("bash", "-c", run).directory(app.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("runtime.log").toFile()).start();
            assertTrue(step.waitFor(5, TimeUnit.MINUTES), "the runtime stage's step did not finish: " + run);
            assertEquals(0, step.exitValue(), "the runtime stage's step failed: " + run + "\n" + tail(work.resolve("runtime.log")));
        }
        assertServesWithItsArchive(app, work.resolve("relay.log"));
        Path lib = work.resolve("relay-service/target/quarkus-app/lib");
        try (Stream<Path> jars = Files.walk(lib)) {
            List<String> local = jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("(?i).*(dynamodblocal|aws-java-sdk|jetty|sqlite4java|antlr|switchboard-simulator).*"))
                    .toList();
            assertTrue(local.isEmpty(), "the relay image carries the local stack: " + local);
        }
        assertTrue(Files.exists(work.resolve("relay-service/target/quarkus-app/quarkus-run.jar")));
    }

    /**
     * The image's command line, from /app, with the class-data archive the runtime stage made; -Xshare:on
     * makes an archive the JVM cannot use an error instead of a silent slower start.
     */
    private static void assertServesWithItsArchive(Path app, Path log) throws Exception {
        assertTrue(Files.exists(app.resolve("app-cds.jsa")), "the runtime stage made no class-data archive");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("java", "-XX:SharedArchiveFile=app-cds.jsa", "-Xshare:on",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port, "-jar", "quarkus-run.jar")
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AGENTS_DIR", app.resolve("agents").toString());
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("DYNAMODB_ENDPOINT", "http://127.0.0.1:9");
        Process relay = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int status = 0;
            while (status != 200 && relay.isAlive() && System.nanoTime() < deadline) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(200, status, "the relay did not serve with the image's archive:\n" + tail(log));
        } finally {
            relay.destroy();
            relay.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDockerfileIsReadAsWritten() throws IOException {
        List<Stage> stages = stages(Files.readAllLines(DOCKERFILE));
        assertFalse(stages.get(0).copies().isEmpty());
        assertTrue(stages.get(0).runs().get(stages.get(0).runs().size() - 1).contains("package"));
        assertTrue(stages.get(1).copies().stream().anyMatch(c -> "build".equals(c.from())));
    }

    static List<Stage> stages(List<String> lines) {
        List<Stage> stages = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("FROM ")) {
                stages.add(new Stage(new ArrayList<>(), new ArrayList<>()));
            } else if (line.startsWith("COPY ")) {
                String from = null;
                List<String> args = new ArrayList<>();
                for (String word : line.substring(5).trim().split("\\s+")) {
                    if (word.startsWith("--from=")) {
                        from = word.substring(7);
                    } else if (!word.startsWith("--")) {
                        args.add(word);
                    }
                }
                stages.get(stages.size() - 1).copies().add(new Copy(args.get(0), args.get(1), from));
            } else if (line.startsWith("RUN ")) {
                stages.get(stages.size() - 1).runs().add(line.substring(4).replace("|| true", "").trim());
            }
        }
        return stages;
    }

    /** {@code COPY src dest}: a file into a directory (dest ending in /, or "."), or a directory onto dest. */
    private static void stage(Path source, Path destination, boolean intoDirectory) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                // a build's output inside a copied source tree is not the tree's (docker build runs on a clean checkout)
                for (Path file : files.filter(Files::isRegularFile)
                        .filter(f -> !("/" + source.relativize(f)).contains("/target/")).toList()) {
                    Path to = destination.resolve(source.relativize(file).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return;
        }
        Path to = intoDirectory || destination.endsWith(".") ? destination.resolve(source.getFileName()) : destination;
        Files.createDirectories(to.normalize().getParent());
        Files.copy(source, to.normalize(), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
