package dev.switchboard.simulator.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.simulator.audio.Voice;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A stand-in for the OpenAI Realtime API (GA protocol) over a real WebSocket. Strict where the real
 * service is strict, so that a relay that passes against it is right: see {@link RealtimeConnection}.
 * Every client event is recorded for assertions.
 */
public final class RealtimeSimulator implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final String apiKey;
    private final HttpServer server;
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final Map<Integer, RealtimeConnection> open = new ConcurrentHashMap<>();
    private final List<RealtimeConnection> all = new CopyOnWriteArrayList<>();
    private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicLong audioBytesReceived = new AtomicLong();
    private final AtomicInteger refusedHandshakes = new AtomicInteger();
    private volatile Supplier<List<Reply>> scripts = List::of;
    private final Queue<String> heard = new ConcurrentLinkedQueue<>();
    private volatile double speed = 1.0;
    private volatile Voice voice = Voice.SPEECH_LIKE;
    private volatile long transcriptionDelayMillis;
    private volatile long handshakeDelayMillis;
    private volatile boolean recordAudioEvents = true;
    private volatile int port;
    private volatile LoadProbe loadProbe;

    /**
     * Load mode: no VAD and no scripted replies. Every session streams 20 ms audio deltas at real time
     * from its {@code session.update} on, and each appended frame is handed to the probe.
     */
    public interface LoadProbe {
        /** A caller frame arrived (decoded audio). */
        void onAppend(byte[] audio);

        /** Fills the next 20 ms of agent audio for a session; false to send nothing this time. */
        boolean fillDelta(byte[] frame);

        /** Any other client event of a session, as it arrives. */
        default void onClientEvent(int connection, com.fasterxml.jackson.databind.node.ObjectNode event) {
        }
    }

    public void loadMode(LoadProbe probe) {
        this.loadProbe = probe;
        this.recordAudioEvents = false;
    }

    LoadProbe loadProbe() {
        return loadProbe;
    }

    public RealtimeSimulator(String apiKey) {
        this(Vertx.vertx(), true, apiKey);
    }

    public RealtimeSimulator(Vertx vertx, String apiKey) {
        this(vertx, false, apiKey);
    }

    private RealtimeSimulator(Vertx vertx, boolean ownsVertx, String apiKey) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.apiKey = apiKey;
        this.server = vertx.createHttpServer(new HttpServerOptions()
                .setMaxWebSocketFrameSize(1 << 20).setMaxWebSocketMessageSize(16 << 20));
        server.webSocketHandler(this::accept);
    }

    public RealtimeSimulator start(int port) {
        try {
            server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Realtime simulator did not start", e);
        }
        this.port = server.actualPort();
        return this;
    }

    /** The {@code wss}-equivalent URL to give the relay as {@code OPENAI_REALTIME_URL}. */
    public URI url() {
        return URI.create("ws://127.0.0.1:" + port + "/v1/realtime?model=gpt-realtime");
    }

    /**
     * Each new session plays the replies this supplier returns, in order, then a default reply. The
     * supplier is asked when the session is first configured (its first {@code session.update}), not
     * when its socket opens.
     */
    public void script(Supplier<List<Reply>> scripts) {
        this.scripts = scripts;
    }

    /**
     * What the caller's next turns are transcribed as, in order, whatever the script's replies expect
     * to hear: a phone menu or a voicemail greeting speaks many turns before the model is asked anything.
     * Once these are used up, a turn is transcribed as the script's next reply expects.
     */
    public void hear(String... transcripts) {
        heard.clear();
        heard.addAll(List.of(transcripts));
    }

    /** The next transcript queued by {@link #hear}, or null. */
    String nextHeard() {
        return heard.poll();
    }

    /** Pace of audio deltas relative to real time (2.0 = twice as fast). */
    public void speed(double speed) {
        this.speed = speed;
    }

    /**
     * How long after a caller's turn is committed its transcript arrives. The real API transcribes
     * asynchronously, often after the model has already answered; 0 (the default) sends it at once.
     */
    public void transcriptionDelay(Duration delay) {
        this.transcriptionDelayMillis = delay.toMillis();
    }

    long transcriptionDelayMillis() {
        return transcriptionDelayMillis;
    }

    /**
     * How long the WebSocket handshake of each new session takes (0 by default), as a slow network or a
     * busy endpoint would: what a client sends meanwhile must wait for it.
     */
    public void handshakeDelay(Duration delay) {
        this.handshakeDelayMillis = delay.toMillis();
    }

    /** Load runs turn this off: appends are then counted, not stored. */
    public void recordAudioEvents(boolean record) {
        this.recordAudioEvents = record;
    }

    private void accept(ServerWebSocket ws) {
        if (!ws.path().equals("/v1/realtime")) {
            refusedHandshakes.incrementAndGet();
            ws.reject(404);
            return;
        }
        String bearer = ws.headers().get("Authorization");
        String azureKey = ws.headers().get("api-key");
        boolean authorized = ("Bearer " + apiKey).equals(bearer) || apiKey.equals(azureKey);
        if (!authorized) {
            refusedHandshakes.incrementAndGet();
            ws.reject(401);
            return;
        }
        long delay = handshakeDelayMillis;
        if (delay > 0) {
            Promise<Integer> answered = Promise.promise();
            ws.setHandshake(answered.future());
            vertx.setTimer(delay, t -> {
                answered.complete(101);
                open(ws);
            });
            return;
        }
        open(ws);
    }

    private void open(ServerWebSocket ws) {
        int id = connectionIds.incrementAndGet();
        RealtimeConnection c = new RealtimeConnection(this, vertx, ws, id, () -> scripts.get());
        open.put(id, c);
        all.add(c);
        ws.closeHandler(v -> {
            c.closed();
            open.remove(id);
        });
        c.begin();
    }

    void record(RecordedEvent e) {
        if (recordAudioEvents || !"input_audio_buffer.append".equals(e.type()) || e.rejected()) {
            events.add(e);
        }
    }

    void countAudio(int bytes) {
        audioBytesReceived.addAndGet(bytes);
    }

    /** How replies sound: speech-like sound by default (tests), spoken words for a person (the local stack). */
    public RealtimeSimulator voice(Voice voice) {
        this.voice = voice;
        return this;
    }

    Voice voice() {
        return voice;
    }

    double speed() {
        return speed;
    }

    public List<RecordedEvent> events() {
        return List.copyOf(events);
    }

    public List<RecordedEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    public List<RecordedEvent> rejected() {
        return events.stream().filter(RecordedEvent::rejected).toList();
    }

    public int openConnections() {
        return open.size();
    }

    public List<RealtimeConnection> connections() {
        return List.copyOf(all);
    }

    public long audioBytesReceived() {
        return audioBytesReceived.get();
    }

    public int refusedHandshakes() {
        return refusedHandshakes.get();
    }

    public void clearRecords() {
        events.clear();
        heard.clear();
        all.clear();
        all.addAll(open.values());
    }

    @Override
    public void close() {
        open.values().forEach(RealtimeConnection::closeFromServer);
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        if (ownsVertx) {
            vertx.close();
        }
    }
}
