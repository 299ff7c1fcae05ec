package dev.switchboard.simulator.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.simulator.audio.MuLaw;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plays Twilio's side of a bidirectional media stream over a real WebSocket: {@code connected},
 * {@code start} with custom parameters, 20 ms {@code media} frames paced in real time (or faster),
 * {@code dtmf} and {@code stop}. What the relay sends back is played out at real-time rate (or the
 * same speed-up): each {@code mark} is returned once the audio queued before it has played, and a
 * {@code clear} drops the queued audio and returns every pending mark, as Twilio does.
 *
 * <p>All socket work runs on one Vert.x context; the accessors are safe from any thread.
 */
public final class MediaStreamCaller implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final int FRAME_BYTES = 160;
    public static final int FRAME_MILLIS = 20;

    private final Vertx vertx;
    private final Context context;
    private final String callSid;
    private final String streamSid;
    private final double speed;
    private final WebSocketClient client;
    private volatile WebSocket ws;
    private int sequence;
    private int chunk;
    private long mediaTimestampMs;

    // playback, touched only on the context
    private final Deque<byte[]> playout = new ArrayDeque<>();
    private final Deque<Object[]> pendingMarks = new ArrayDeque<>(); // {name, bytesQueuedBefore}
    private long bytesQueued;
    private long bytesPlayed;
    private long playoutTimer = -1;
    private volatile boolean playbackStalled;
    /** Frames to send, each followed by the future of the {@link #play} call that queued it. */
    private final Deque<Object> sendQueue = new ArrayDeque<>();
    private long sendTimer = -1;

    // records, read from tests
    private final ByteArrayOutputStream heard = new ByteArrayOutputStream();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> marksReturned = new CopyOnWriteArrayList<>();
    private final List<String> marksFlushed = new CopyOnWriteArrayList<>();
    private final List<Long> clearsAtPlayedMs = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile boolean stopSent;
    private volatile long closedAtNanos;
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

    public MediaStreamCaller(Vertx vertx, String callSid, double speed) {
        this(vertx, callSid, "MZ" + callSid.substring(2), speed);
    }

    /** A stream of its own on the call: a call has a new stream each time Twilio connects it again. */
    public MediaStreamCaller(Vertx vertx, String callSid, String streamSid, double speed) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.callSid = callSid;
        this.streamSid = streamSid;
        this.speed = speed;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20).setMaxMessageSize(16 << 20));
    }

    /** Opens the stream and sends {@code connected} and {@code start}; completes when both are sent. */
    public MediaStreamCaller connect(URI relay, Map<String, String> customParameters) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(relay.toString());
            client.connect(options).onComplete(ar -> {
                if (ar.failed()) {
                    done.completeExceptionally(ar.cause());
                    return;
                }
                ws = ar.result();
                ws.textMessageHandler(this::onText);
                ws.closeHandler(x -> {
                    closedAtNanos = System.nanoTime();
                    closeReason = ws.closeReason();
                    Short code = ws.closeStatusCode();
                    stopTimers();
                    closedWith.complete(code == null ? -1 : (int) code);
                });
                ws.writeTextMessage(JSON.createObjectNode().put("event", "connected").put("protocol", "Call")
                        .put("version", "1.0.0").toString());
                ObjectNode start = JSON.createObjectNode().put("event", "start").put("sequenceNumber", seq())
                        .put("streamSid", streamSid);
                ObjectNode s = start.putObject("start").put("streamSid", streamSid).put("accountSid", "AC" + "0".repeat(32))
                        .put("callSid", callSid);
                s.putArray("tracks").add("inbound");
                ObjectNode params = s.putObject("customParameters");
                customParameters.forEach(params::put);
                s.putObject("mediaFormat").put("encoding", "audio/x-mulaw").put("sampleRate", 8000).put("channels", 1);
                ws.writeTextMessage(start.toString());
                playoutTimer = vertx.setPeriodic(periodMs(), t -> playTick());
                done.complete(null);
            });
        });
        join(done, "connect to " + relay);
        return this;
    }

    /** Opens the socket but sends nothing: for tests of what the relay does with bad input. */
    public MediaStreamCaller connectRaw(URI relay) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setAbsoluteURI(relay.toString()))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        done.completeExceptionally(ar.cause());
                        return;
                    }
                    ws = ar.result();
                    ws.textMessageHandler(this::onText);
                    ws.closeHandler(x -> {
                        closeReason = ws.closeReason();
                        Short code = ws.closeStatusCode();
                        stopTimers();
                        closedWith.complete(code == null ? -1 : (int) code);
                    });
                    done.complete(null);
                }));
        join(done, "connect to " + relay);
        return this;
    }

    /**
     * Stops playing out what the relay sends (audio stays queued, no mark comes back) until
     * {@link #resumePlayback()}: a congested leg, and a way for tests to know exactly what was heard.
     */
    public void stallPlayback() {
        playbackStalled = true;
    }

    public void resumePlayback() {
        playbackStalled = false;
    }

    public void sendRawText(String text) {
        context.runOnContext(v -> ws.writeTextMessage(text));
    }

    public void sendRawBinary(byte[] bytes) {
        context.runOnContext(v -> ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes)));
    }

    /** Queues audio to send as 20 ms frames at the caller's pace; returns when all of it has been sent. */
    public CompletableFuture<Void> play(byte[] mulaw) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            for (int off = 0; off < mulaw.length; off += FRAME_BYTES) {
                byte[] frame = new byte[Math.min(FRAME_BYTES, mulaw.length - off)];
                System.arraycopy(mulaw, off, frame, 0, frame.length);
                sendQueue.add(frame);
            }
            sendQueue.add(done);
            if (sendTimer < 0) {
                sendTimer = vertx.setPeriodic(periodMs(), t -> sendTick());
            }
        });
        return done;
    }

    public void sendDtmf(String digit) {
        context.runOnContext(v -> {
            ObjectNode d = JSON.createObjectNode().put("event", "dtmf").put("streamSid", streamSid).put("sequenceNumber", seq());
            d.putObject("dtmf").put("track", "inbound_track").put("digit", digit);
            ws.writeTextMessage(d.toString());
        });
    }

    /** Twilio's {@code stop}, then the socket closes, as when the caller hangs up. */
    public void hangUp() {
        context.runOnContext(v -> {
            if (ws == null || ws.isClosed()) {
                return;
            }
            ObjectNode stop = JSON.createObjectNode().put("event", "stop").put("sequenceNumber", seq()).put("streamSid", streamSid);
            stop.putObject("stop").put("accountSid", "AC" + "0".repeat(32)).put("callSid", callSid);
            ws.writeTextMessage(stop.toString());
            stopSent = true;
            stopTimers();
            ws.close();
        });
    }

    /** Runs once the socket has closed, whoever closed it, with the close code (-1 if none). */
    public void onClosed(Consumer<Integer> listener) {
        closedWith.thenAccept(listener);
    }

    /** True once this side sent {@code stop} (the caller hung up, or Twilio moved the call on). */
    public boolean stopSent() {
        return stopSent;
    }

    /** The socket is cut with no {@code stop}: what Twilio sees when the relay at the other end dies. */
    public void drop() {
        context.runOnContext(v -> {
            if (ws != null && !ws.isClosed()) {
                stopTimers();
                ws.close((short) 1001, "connection lost");
            }
        });
    }

    public void onMessage(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    @SuppressWarnings("unchecked")
    private void sendTick() {
        while (sendQueue.peek() instanceof CompletableFuture<?> f) {
            sendQueue.poll();
            ((CompletableFuture<Void>) f).complete(null);
        }
        Object next = sendQueue.poll();
        if (next == null) {
            vertx.cancelTimer(sendTimer);
            sendTimer = -1;
            return;
        }
        if (ws == null || ws.isClosed()) {
            drainSendQueue();
            return;
        }
        byte[] frame = (byte[]) next;
        ObjectNode m = JSON.createObjectNode().put("event", "media").put("sequenceNumber", seq()).put("streamSid", streamSid);
        m.putObject("media").put("track", "inbound").put("chunk", Integer.toString(++chunk))
                .put("timestamp", Long.toString(mediaTimestampMs)).put("payload", Base64.getEncoder().encodeToString(frame));
        mediaTimestampMs += FRAME_MILLIS;
        ws.writeTextMessage(m.toString());
    }

    private void onText(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (Exception e) {
            received.add(JSON.createObjectNode().put("event", "<invalid json>").put("raw", text));
            return;
        }
        received.add(msg);
        switch (msg.path("event").asText()) {
            case "media" -> {
                byte[] audio = Base64.getDecoder().decode(msg.path("media").path("payload").asText());
                playout.add(audio);
                bytesQueued += audio.length;
            }
            case "mark" -> pendingMarks.add(new Object[] {msg.path("mark").path("name").asText(), bytesQueued});
            case "clear" -> {
                clearsAtPlayedMs.add(bytesPlayed / MuLaw.BYTES_PER_MS);
                playout.clear();
                bytesQueued = bytesPlayed;
                while (!pendingMarks.isEmpty()) {
                    String name = (String) pendingMarks.poll()[0];
                    marksFlushed.add(name);
                    returnMark(name);
                }
            }
            default -> { }
        }
        listeners.forEach(l -> l.accept(msg));
    }

    private void playTick() {
        if (playbackStalled) {
            return;
        }
        int budget = FRAME_BYTES;
        while (budget > 0 && !playout.isEmpty()) {
            byte[] head = playout.peek();
            int take = Math.min(budget, head.length);
            heard.write(head, 0, take);
            bytesPlayed += take;
            budget -= take;
            if (take == head.length) {
                playout.poll();
            } else {
                byte[] rest = new byte[head.length - take];
                System.arraycopy(head, take, rest, 0, rest.length);
                playout.poll();
                playout.addFirst(rest);
            }
        }
        while (!pendingMarks.isEmpty() && (long) pendingMarks.peek()[1] <= bytesPlayed) {
            String name = (String) pendingMarks.poll()[0];
            marksReturned.add(name);
            returnMark(name);
        }
    }

    private void returnMark(String name) {
        if (ws == null || ws.isClosed()) {
            return;
        }
        ObjectNode mark = JSON.createObjectNode().put("event", "mark").put("sequenceNumber", seq()).put("streamSid", streamSid);
        mark.putObject("mark").put("name", name);
        ws.writeTextMessage(mark.toString());
    }

    private void stopTimers() {
        if (playoutTimer >= 0) {
            vertx.cancelTimer(playoutTimer);
            playoutTimer = -1;
        }
        if (sendTimer >= 0) {
            vertx.cancelTimer(sendTimer);
            sendTimer = -1;
        }
        drainSendQueue();
    }

    @SuppressWarnings("unchecked")
    private void drainSendQueue() {
        for (Object o : sendQueue) {
            if (o instanceof CompletableFuture<?> f) {
                ((CompletableFuture<Void>) f).complete(null);
            }
        }
        sendQueue.clear();
    }

    private long periodMs() {
        return Math.max(1, Math.round(FRAME_MILLIS / speed));
    }

    private String seq() {
        return Integer.toString(++sequence);
    }

    public String callSid() {
        return callSid;
    }

    public String streamSid() {
        return streamSid;
    }

    /** Milliseconds of agent audio played out so far. */
    public long heardMillis() {
        return callOnContext(() -> bytesPlayed / MuLaw.BYTES_PER_MS);
    }

    public byte[] heardAudio() {
        return callOnContext(heard::toByteArray);
    }

    /** Milliseconds of agent audio received but not yet played. */
    public long queuedMillis() {
        return callOnContext(() -> (bytesQueued - bytesPlayed) / MuLaw.BYTES_PER_MS);
    }

    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    public List<JsonNode> received(String event) {
        return received.stream().filter(m -> event.equals(m.path("event").asText())).toList();
    }

    public List<String> marksReturnedAfterPlaying() {
        return List.copyOf(marksReturned);
    }

    public List<String> marksFlushedByClear() {
        return List.copyOf(marksFlushed);
    }

    public List<Long> clearsAtPlayedMs() {
        return List.copyOf(clearsAtPlayedMs);
    }

    public boolean isClosed() {
        return closedWith.isDone();
    }

    /** Waits for the relay or the caller to close the socket; returns the close code (-1 if none). */
    public int awaitClose(Duration timeout) {
        try {
            return closedWith.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the stream did not close within " + timeout, e);
        }
    }

    /** Waits for the close, at most {@code timeout}; returns false if the socket is still open. */
    public boolean awaitCloseQuietly(Duration timeout) {
        try {
            closedWith.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** When the socket closed ({@link System#nanoTime}); 0 while it is open. */
    public long closedAtNanos() {
        return closedAtNanos;
    }

    public String closeReason() {
        return closeReason;
    }

    private <T> T callOnContext(java.util.concurrent.Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                f.complete(c.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return join(f, "read caller state");
    }

    private static <T> T join(CompletableFuture<T> f, String what) {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (ws == null) { // never connected: nothing to hang up or wait for
            client.close();
            return;
        }
        hangUp();
        try {
            closedWith.get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // already gone
        }
        client.close();
    }

    /** Frames received of each event type, for quick assertions. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (JsonNode m : new ArrayList<>(received)) {
            counts.merge(m.path("event").asText(), 1L, Long::sum);
        }
        return counts;
    }
}
