package dev.switchboard.simulator.load;

import dev.switchboard.simulator.twilio.ConnectStream;
import dev.switchboard.simulator.twilio.WebhookPoster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The process, its output in {@code log}; {@code cpus} pins it (taskset) when not blank; {@code peers}: bench/peers. */
    Process start(int port, URI realtime, Path relayJar, Path peers, String cpus, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        if (!cpus.isBlank()) {
            command.addAll(List.of("taskset", "-c", cpus)); // keep it off the load generator's cores
        }
        if (this == RELAY) {
            command.addAll(List.of("java", "-Xmx2g", "-Dquarkus.profile=local", "-Dquarkus.http.port=" + port,
                    "-Dswitchboard.local.dynamodb-port=0", "-Dswitchboard.local.twilio-port=0", "-Dquarkus.log.level=WARN",
                    "-jar", relayJar.toString()));
        } else {
            command.addAll(List.of("node", peers.resolve(peerDirectory()).resolve("server.js").toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OPENAI_API_KEY", "sk-load");
        pb.environment().put("OPENAI_REALTIME_URL", realtime.toString());
        pb.environment().put("RELAY_PUBLIC_URL", "ws://127.0.0.1:" + port + "/media-stream");
        pb.environment().put("PORT", Integer.toString(port));
        return pb.start();
    }

    void awaitReady(int port) throws InterruptedException {
        URI http = URI.create("http://127.0.0.1:" + port);
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (this == RELAY) {
                    if (POSTER.post(http.resolve("/twilio/voice"), PUBLIC_BASE + "/twilio/voice", Map.of(), "x")
                            .statusCode() == 403) {
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

    /** The custom parameters of the call's {@code start} message: the relay's come from its voice webhook. */
    Map<String, String> streamParameters(int port, String callSid) {
        if (this != RELAY) {
            return Map.of();
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", callSid);
        form.put("From", "+15550000000");
        form.put("To", "+15551111111");
        form.put("Direction", "inbound");
        form.put("CallStatus", "ringing");
        HttpResponse<String> r = POSTER.post(URI.create("http://127.0.0.1:" + port + "/twilio/voice"),
                PUBLIC_BASE + "/twilio/voice", form, null);
        return ConnectStream.parse(r.body()).parameters();
    }

    boolean isJvm() {
        return this == RELAY;
    }
}
