package dev.switchboard.simulator.load;

import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.WebhookPoster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What a load run measures, started as a child process on {@code port} with the Realtime simulator as
 * its OpenAI: Switchboard's relay (the local stack's jar: each call is a signed voice webhook, then the
 * stream with its one-time token), or a Node peer in {@code bench/peers/} (the stream at once, no
 * webhook, no token): one built like Twilio's sample, or the OpenAI Agents SDK's Twilio transport. The
 * same generator drives them all.
 */
enum LoadTarget {
    RELAY, NODE_SAMPLE, AGENTS_SDK;

    static final String AUTH_TOKEN = "local-auth-token";
    static final String PUBLIC_BASE = "http://localhost:8080";
    static final int FRONT_WARM_UP_CALLS = 1000;
    /**
     * The relay's JVM options in the image (infra/relay/Dockerfile), with the heap an ECS task of 2 GB
     * would give it (75%).
     */
    static final String RELAY_JAVA_OPTIONS = "-Xmx1536m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError"
            + " -Djava.net.preferIPv4Stack=true";
    /** One client for every webhook of a run: a new one per call cost the generator ~60 ms a call. */
    private static final WebhookPoster POSTER = new WebhookPoster(AUTH_TOKEN);

    static LoadTarget named(String name) {
        return switch (name) {
            case "relay" -> RELAY;
            case "node-sample" -> NODE_SAMPLE;
            case "agents-sdk" -> AGENTS_SDK;
            default -> throw new IllegalArgumentException("--target must be relay, node-sample or agents-sdk, got " + name);
        };
    }

    /** Where a Node peer's server.js is, under {@code bench/peers/}. */
    String peerDirectory() {
        return this == AGENTS_SDK ? "agents-sdk" : "node-sample";
    }

    /**
     * The process to measure, its output in {@code log}; {@code cpus} pins it (taskset) when not blank.
     * For the relay that is the relay's own jar ({@code relay-service}, as it ships), and a second process
     * plays what the relay talks to on AWS: the local stack's jar answers the voice webhook on
     * {@code port + 1} and serves DynamoDB Local on {@code port + 2}, so the store is not inside the
     * process measured.
     */
    Started start(int port, URI realtime, Jars jars, String cpus, Path log) throws Exception {
        for (int p : this == RELAY ? List.of(port, port + 1, port + 2) : List.of(port)) {
            requireFree(p);
        }
        if (this != RELAY) {
            List<String> node = new ArrayList<>(pinned(cpus));
            node.addAll(List.of("node", jars.peers().resolve(peerDirectory()).resolve("server.js").toString()));
            long launched = System.nanoTime();
            return new Started(launch(new ProcessBuilder(node), port, realtime, log), null, launched);
        }
        ProcessBuilder front = new ProcessBuilder("java", "-Xmx1g", "-Dquarkus.profile=local",
                "-Dquarkus.http.port=" + (port + 1), "-Dswitchboard.local.dynamodb-port=" + (port + 2),
                "-Dswitchboard.local.twilio-port=0", "-Dquarkus.log.level=WARN", "-jar", jars.front().toString());
        Process store = launch(front, port, realtime, Files.createTempFile("load-front", ".log"));
        awaitFront(port);
        warmFront(port);
        List<String> relay = new ArrayList<>(pinned(cpus));
        relay.addAll(List.of("java", "-Dquarkus.log.level=WARN")); // the options after it may say otherwise
        relay.addAll(jars.relayOptions());
        Path app = jars.relay().toAbsolutePath().getParent();
        if (Files.exists(app.resolve("app-cds.jsa"))) { // built by bench/side-by-side, as the image builds it
            relay.add("-XX:SharedArchiveFile=app-cds.jsa");
        }
        relay.addAll(List.of("-Dquarkus.http.port=" + port, "-jar", "quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(relay).directory(app.toFile()); // the archive names the jar relative to it
        pb.environment().put("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + (port + 2));
        pb.environment().put("AWS_ACCESS_KEY_ID", "load");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "load");
        pb.environment().put("AWS_REGION", "us-east-1");
        long launched = System.nanoTime();
        return new Started(launch(pb, port, realtime, log), store, launched);
    }

    /** A process left from an earlier run on the port would be measured instead of the one started. */
    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // free: closed at once
        } catch (IOException inUse) {
            throw new IllegalStateException("port " + port + " is in use (a process left from an earlier run?); stop it or pass --port");
        }
    }

    private static List<String> pinned(String cpus) {
        return cpus.isBlank() ? List.of() : List.of("taskset", "-c", cpus); // keep it off the load generator's cores
    }

    private static Process launch(ProcessBuilder pb, int port, URI realtime, Path log) throws Exception {
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPENAI_API_KEY", "sk-load");
        pb.environment().put("OPENAI_REALTIME_URL", realtime.toString());
        pb.environment().put("RELAY_PUBLIC_URL", "ws://127.0.0.1:" + port + "/media-stream");
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("AGENTS_DIR", Path.of("agents").toAbsolutePath().toString());
        return pb.start();
    }

    /**
     * What a run starts: the relay's jar and its JVM options, the local stack's jar (webhooks and store),
     * the Node peers' directory.
     */
    record Jars(Path relay, List<String> relayOptions, Path front, Path peers) {
    }

    /** The measured process and, for the relay, the one standing in for the webhooks and DynamoDB. */
    record Started(Process measured, Process front, long launchedNanos) {
        /**
         * Stops the measured process, then the front: the relay's last call-record writes go to the
         * front's DynamoDB Local, which must outlive it as DynamoDB does. Kills what has not stopped
         * 10 s after SIGTERM (a relay with calls drains for up to 110 s).
         */
        void stop() throws InterruptedException {
            for (Process p : front == null ? List.of(measured) : List.of(measured, front)) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    void awaitReady(int port) throws InterruptedException {
        URI http = URI.create("http://127.0.0.1:" + port);
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (this == RELAY) {
                    if (client.send(HttpRequest.newBuilder(http.resolve("/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } else if (client.send(HttpRequest.newBuilder(http.resolve("/incoming-call")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(this + " did not start within 60 s");
    }

    /** The local stack standing in for the webhooks and DynamoDB answers (an unsigned webhook is refused). */
    private static void awaitFront(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (POSTER.post(URI.create("http://127.0.0.1:" + (port + 1) + "/twilio/voice"), PUBLIC_BASE + "/twilio/voice",
                        Map.of(), "x").statusCode() == 403) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the local stack (webhooks and DynamoDB Local) did not start within 60 s");
    }

    /**
     * On AWS the webhooks and DynamoDB are warm services; their stand-in is a fresh JVM, whose first
     * few hundred webhooks and writes are many times slower. Calls that are never streamed warm it up
     * before the relay starts, so the relay's figures are not the stand-in's warm-up.
     */
    private static void warmFront(int port) throws InterruptedException {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        for (int i = 0; i < FRONT_WARM_UP_CALLS; i++) {
            int index = i;
            callers.execute(() -> voiceWebhook(port, String.format("CA%032x", 0xF000000L + index)));
        }
        callers.shutdown();
        if (!callers.awaitTermination(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the local stack did not answer " + FRONT_WARM_UP_CALLS + " webhooks within 2 minutes");
        }
    }

    /** The custom parameters of the call's {@code start} message: the relay's come from its voice webhook. */
    Map<String, String> streamParameters(int port, String callSid) {
        if (this != RELAY) {
            return Map.of();
        }
        return ConnectStream.parse(voiceWebhook(port, callSid)).parameters();
    }

    /** The voice webhook of a new inbound call, as Twilio signs it: the TwiML it answers. */
    private static String voiceWebhook(int port, String callSid) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", callSid);
        form.put("From", "+15550000000");
        form.put("To", "+15551111111");
        form.put("Direction", "inbound");
        form.put("CallStatus", "ringing");
        return POSTER.post(URI.create("http://127.0.0.1:" + (port + 1) + "/twilio/voice"), PUBLIC_BASE + "/twilio/voice", form, null)
                .body();
    }

    boolean isJvm() {
        return this == RELAY;
    }
}
