package dev.switchboard.simulator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.simulator.realtime.RealtimeSimulator;
import dev.switchboard.simulator.twilio.MediaStreamCaller;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load run of N concurrent simulated calls against a target started as a child process (the relay,
 * or the Node peer: {@link LoadTarget}), 50 frames a second each way per call. Caller frames and agent
 * deltas carry their send time ({@code System.nanoTime()} of this process, where both ends live), so the
 * latency measured is the target's added latency plus two loopback hops and this process's own
 * scheduling: an upper bound. Two windows are measured one after the other: the first right after the
 * calls open (a fresh process), the second with the process warmed up by the first.
 *
 * <pre>java -cp ... dev.switchboard.simulator.load.LoadRun --calls 500 --seconds 30 --target relay --relay-jar local/target/quarkus-app/quarkus-run.jar</pre>
 */
public final class LoadRun {

    static final ObjectMapper JSON = new ObjectMapper();

    final Latencies inbound = new Latencies();
    final Latencies outbound = new Latencies();
    /** From a call's # to the relay's response.create reaching the Realtime simulator. */
    final Latencies keypad = new Latencies();
    /** From a call's start (its voice webhook, or its socket for a peer) to its first agent audio frame. */
    final Latencies connect = new Latencies();
    /** From a call's start to its voice webhook's TwiML (the relay only: the stand-in webhooks and store). */
    final Latencies webhook = new Latencies();
    /** From a call's start to its media stream's socket being open. */
    final Latencies socketOpen = new Latencies();
    final ConcurrentHashMap<Integer, Long> hashSentAt = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, Integer> entryOfConnection = new ConcurrentHashMap<>();
    final AtomicLong framesSent = new AtomicLong();
    final AtomicLong framesReceivedBySim = new AtomicLong();
    final AtomicLong deltasSent = new AtomicLong();
    final AtomicLong deltasReceived = new AtomicLong();
    volatile boolean sending = true;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("--calls", "100", "--seconds", "30", "--port", "18080",
                "--relay-jar", "relay-service/target/quarkus-app/quarkus-run.jar", "--relay-cpus", "", "--target", "relay",
                "--peers", "bench/peers", "--keypad", "on"));
        a.putAll(Map.of("--front-jar", "local/target/quarkus-app/quarkus-run.jar", "--relay-java-options", LoadTarget.RELAY_JAVA_OPTIONS,
                "--arrive-within", "0"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        LoadTarget target = LoadTarget.named(a.get("--target"));
        LoadTarget.Jars jars = new LoadTarget.Jars(Path.of(a.get("--relay-jar")), List.of(a.get("--relay-java-options").trim().split("\\s+")),
                Path.of(a.get("--front-jar")), Path.of(a.get("--peers")));
        new LoadRun().run(target, Integer.parseInt(a.get("--calls")), Integer.parseInt(a.get("--seconds")),
                Integer.parseInt(a.get("--port")), jars, a.get("--relay-cpus"),
                target == LoadTarget.RELAY && a.get("--keypad").equals("on"), Double.parseDouble(a.get("--arrive-within")));
        System.exit(0);
    }

    void run(LoadTarget target, int calls, int seconds, int port, LoadTarget.Jars jars, String cpus, boolean keypadOn,
             double arriveWithin) throws Exception {
        Vertx vertx = Vertx.vertx();
        RealtimeSimulator sim = new RealtimeSimulator(vertx, "sk-load");
        sim.loadMode(new RealtimeSimulator.LoadProbe() {
            @Override
            public void onAppend(byte[] audio) {
                // one 20 ms frame per append as it streams; caller audio kept while a session opened comes
                // in appends of many frames, each still carrying its own send time in its first 8 bytes
                for (int at = 0; at == 0 || at + MediaStreamCaller.FRAME_BYTES <= audio.length; at += MediaStreamCaller.FRAME_BYTES) {
                    framesReceivedBySim.incrementAndGet();
                    if (audio.length - at >= 8) {
                        inbound.add(System.nanoTime() - ByteBuffer.wrap(audio, at, 8).getLong());
                    }
                }
            }

            @Override
            public void onClientEvent(int connection, ObjectNode event) {
                String type = event.path("type").asText();
                if (type.equals("conversation.item.create")) {
                    String text = event.path("item").path("content").path(0).path("text").asText("");
                    if (text.startsWith("Keypad entry: ")) {
                        entryOfConnection.put(connection, Integer.parseInt(text.substring(14)));
                    }
                } else if (type.equals("response.create")) {
                    Integer call = entryOfConnection.remove(connection);
                    Long sent = call == null ? null : hashSentAt.remove(call);
                    if (sent != null) {
                        keypad.add(System.nanoTime() - sent);
                    }
                }
            }

            @Override
            public boolean fillDelta(byte[] frame) {
                if (!sending) {
                    return false;
                }
                Arrays.fill(frame, (byte) 0xFF);
                ByteBuffer.wrap(frame).putLong(System.nanoTime());
                deltasSent.incrementAndGet();
                return true;
            }
        });
        sim.start(0);

        Path log = Files.createTempFile("load-target", ".log");
        LoadTarget.Started started = target.start(port, sim.url(), jars, cpus, log);
        try {
            target.awaitReady(port);
            System.out.printf("%s: process start to serving %.2f s%n", target, (System.nanoTime() - started.launchedNanos()) / 1e9);
            measure(vertx, target, calls, seconds, port, started.measured().pid(), keypadOn, arriveWithin);
        } finally {
            started.stop();
            sim.close();
            vertx.close();
        }
    }

    void measure(Vertx vertx, LoadTarget target, int calls, int seconds, int port, long pid, boolean keypadOn, double arriveWithin)
            throws Exception {
        long rssIdle = rssKb(pid); // before the forced GC below, which may give memory back
        long heapIdle = target.isJvm() ? heapUsedKb(pid) : -1;
        System.out.printf("%s pid %d up, RSS %.1f MB%s; opening %d calls%n", target, pid, rssIdle / 1024.0,
                target.isJvm() ? String.format(", heap after GC %.1f MB", heapIdle / 1024.0) : "", calls);

        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));
        List<Long> timers = new CopyOnWriteArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        connect.recording(true);
        webhook.recording(true);
        socketOpen.recording(true);
        long opening = System.nanoTime();
        List<CompletableFuture<WebSocket>> opened = new ArrayList<>();
        if (arriveWithin <= 0) { // one after another, each once the previous one is connected
            for (int i = 0; i < calls; i++) {
                CompletableFuture<WebSocket> ws = openCall(vertx, client, target, port, i, System.nanoTime(), timers, keypadOn);
                ws.get(10, TimeUnit.SECONDS);
                opened.add(ws);
            }
        } else { // every call at its own time, spread evenly over the window, as a burst of real callers
            ExecutorService callers = Executors.newFixedThreadPool(64);
            long step = (long) (arriveWithin * 1e9 / calls);
            for (int i = 0; i < calls; i++) {
                int index = i;
                long due = opening + i * step;
                CompletableFuture<WebSocket> ws = new CompletableFuture<>();
                callers.execute(() -> {
                    LockSupport.parkNanos(due - System.nanoTime());
                    try {
                        openCall(vertx, client, target, port, index, due, timers, keypadOn).whenComplete((w, e) -> {
                            if (e != null) {
                                ws.completeExceptionally(e);
                            } else {
                                ws.complete(w);
                            }
                        });
                    } catch (RuntimeException e) { // the webhook failed: the run reports it rather than waiting
                        ws.completeExceptionally(e);
                    }
                });
                opened.add(ws);
            }
            callers.shutdown();
        }
        for (CompletableFuture<WebSocket> ws : opened) {
            sockets.add(ws.get(30, TimeUnit.SECONDS));
        }
        double openSeconds = (System.nanoTime() - opening) / 1e9;
        System.out.printf("%d calls open in %.2f s; settling 5 s%n", calls, openSeconds);
        Thread.sleep(5000);
        webhook.recording(false);
        socketOpen.recording(false);
        System.out.printf("%n| %s | window | calls | in p50 ms | in p99 ms | out p50 ms | out p99 ms | CPU (cores) | CPU per call | RSS |%n", "target");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|%n");
        window(target, "fresh", calls, seconds, pid);
        window(target, "warm", calls, seconds, pid);
        // a call whose first audio comes late is the tail this figure is for: it is waited for (up to 60 s
        // from the first call), not left out; an early version stopped counting 5 s after the last socket
        // opened and reported a p99 of the calls that had audio by then (56 of 100 in one burst)
        while (connect.count() < calls && System.nanoTime() - opening < 60_000_000_000L) {
            Thread.sleep(100);
        }
        connect.recording(false);
        System.out.printf("%ncall start to first agent audio: p50 %.1f ms, p99 %.1f ms over %d calls%s%n",
                connect.percentileMs(50), connect.percentileMs(99), connect.count(),
                connect.count() < calls ? String.format(" (%d had none within 60 s)", calls - connect.count()) : "");
        System.out.printf("  of which: to the webhook's TwiML p50 %.1f / p99 %.1f ms, to the stream open p50 %.1f / p99 %.1f ms%n",
                webhook.percentileMs(50), webhook.percentileMs(99), socketOpen.percentileMs(50), socketOpen.percentileMs(99));
        long heapLoaded = target.isJvm() ? heapUsedKb(pid) : -1;
        sending = false;
        Thread.sleep(2000);
        long lostIn = framesSent.get() - framesReceivedBySim.get();
        long lostOut = deltasSent.get() - deltasReceived.get();
        System.out.printf("%nlost: %d caller frames, %d agent frames%s%n", lostIn, lostOut,
                target.isJvm() ? String.format("; heap per call %.0f KB", (heapLoaded - heapIdle) / (double) calls) : "");
        if (keypadOn) {
            System.out.printf("keypad: # to response.create p50 %.2f ms, p99 %.2f ms over %d entries%n",
                    keypad.percentileMs(50), keypad.percentileMs(99), keypad.count());
        }
        timers.forEach(vertx::cancelTimer);
        for (WebSocket s : sockets) {
            vertx.runOnContext(v -> s.close());
        }
        Thread.sleep(1000);
    }

    /**
     * Starts one call (its webhook for the relay, then its media stream), {@code begun} being when its
     * caller dialled: the connect latency counts from there. Completes once the stream is open.
     */
    private CompletableFuture<WebSocket> openCall(Vertx vertx, WebSocketClient client, LoadTarget target, int port, int index,
                                                  long begun, List<Long> timers, boolean keypadOn) {
        String callSid = String.format("CA%032x", 0xABC0000L + index);
        Map<String, String> parameters = target.streamParameters(port, callSid);
        if (target.isJvm()) {
            webhook.add(System.nanoTime() - begun);
        }
        CompletableFuture<WebSocket> ws = new CompletableFuture<>();
        vertx.runOnContext(v -> client.connect(new WebSocketConnectOptions().setAbsoluteURI("ws://127.0.0.1:" + port + "/media-stream"))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ws.completeExceptionally(ar.cause());
                        return;
                    }
                    socketOpen.add(System.nanoTime() - begun);
                    WebSocket s = ar.result();
                    String streamSid = "MZ" + callSid.substring(2);
                    boolean[] heard = {false}; // on this socket's own context
                    s.textMessageHandler(text -> {
                        if (!heard[0] && text.contains("\"event\":\"media\"")) {
                            heard[0] = true;
                            connect.add(System.nanoTime() - begun);
                        }
                        onRelayMessage(s, streamSid, text);
                    });
                    ObjectNode start = JSON.createObjectNode().put("event", "start").put("streamSid", streamSid);
                    ObjectNode st = start.putObject("start").put("streamSid", streamSid).put("callSid", callSid);
                    ObjectNode params = st.putObject("customParameters");
                    parameters.forEach(params::put);
                    s.writeTextMessage(start.toString());
                    long[] seq = {0};
                    byte[] frame = new byte[MediaStreamCaller.FRAME_BYTES];
                    timers.add(vertx.setPeriodic(20, t -> {
                        if (!sending || s.isClosed()) {
                            return;
                        }
                        Arrays.fill(frame, (byte) 0xFF);
                        ByteBuffer.wrap(frame).putLong(System.nanoTime()).putInt(index).putInt((int) ++seq[0]);
                        s.writeTextMessage("{\"event\":\"media\",\"streamSid\":\"" + streamSid
                                + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + seq[0] + "\",\"timestamp\":\""
                                + seq[0] * 20 + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(frame) + "\"}}");
                        framesSent.incrementAndGet();
                    }));
                    // one call in ten types its own number and # every 3 s: one entry, one response.create
                    String digits = Integer.toString(index + 1);
                    timers.add(vertx.setPeriodic(3000 + (index % 50) * 7, t -> {
                        if (!sending || s.isClosed() || index % 10 != 0 || !keypadOn) {
                            return;
                        }
                        for (char d : (digits + "#").toCharArray()) {
                            if (d == '#') {
                                hashSentAt.put(index + 1, System.nanoTime());
                            }
                            s.writeTextMessage("{\"event\":\"dtmf\",\"streamSid\":\"" + streamSid
                                    + "\",\"sequenceNumber\":\"1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"" + d + "\"}}");
                        }
                    }));
                    ws.complete(s);
                }));
        return ws;
    }

    /** One measured window: latencies, the target's CPU over it and its RSS at the end, as a table row. */
    private void window(LoadTarget target, String name, int calls, int seconds, long pid) throws Exception {
        inbound.clear();
        outbound.clear();
        keypad.clear();
        long cpuBefore = cpuTicks(pid);
        long wallBefore = System.nanoTime();
        inbound.recording(true);
        outbound.recording(true);
        keypad.recording(true);
        Thread.sleep(seconds * 1000L);
        inbound.recording(false);
        outbound.recording(false);
        keypad.recording(false);
        double cores = (cpuTicks(pid) - cpuBefore) / 100.0 / ((System.nanoTime() - wallBefore) / 1e9);
        System.out.printf("| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %.3f | %.3f%% of a core | %.0f MB |%n", target, name, calls,
                inbound.percentileMs(50), inbound.percentileMs(99), outbound.percentileMs(50), outbound.percentileMs(99),
                cores, cores * 100 / calls, rssKb(pid) / 1024.0);
    }

    static long rssKb(long pid) throws Exception {
        Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private void onRelayMessage(WebSocket s, String streamSid, String text) {
        int at = text.indexOf("\"event\":\"");
        if (at < 0) {
            return;
        }
        if (text.startsWith("media", at + 9)) {
            int p = text.indexOf("\"payload\":\"");
            byte[] head = Base64.getDecoder().decode(text.substring(p + 11, p + 23));
            deltasReceived.incrementAndGet();
            outbound.add(System.nanoTime() - ByteBuffer.wrap(head, 0, 8).getLong());
        } else if (text.startsWith("mark", at + 9)) {
            // played at once, as if the caller's phone had no buffer
            try {
                JsonNode m = JSON.readTree(text);
                s.writeTextMessage("{\"event\":\"mark\",\"streamSid\":\"" + streamSid + "\",\"mark\":{\"name\":\""
                        + m.path("mark").path("name").asText() + "\"}}");
            } catch (Exception ignored) {
                // not ours to judge here
            }
        }
    }

    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, in clock ticks (100 Hz)
    }

    static long heapUsedKb(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

}
