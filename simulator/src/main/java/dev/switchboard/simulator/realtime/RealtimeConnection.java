package dev.switchboard.simulator.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.simulator.audio.MuLaw;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One simulated Realtime session. Everything runs on the socket's event loop, so no locks.
 *
 * <p>Rejected, as the real service rejects them: invalid JSON, an unknown client event type, a
 * {@code session.update} without {@code session.type}, audio that is not base64, a truncate of a
 * non-assistant item or past the audio sent for it, a {@code function_call_output} for an unknown
 * {@code call_id}, a {@code response.create} while a response is active, a cancel with nothing active.
 */
public final class RealtimeConnection {

    static final Set<String> CLIENT_EVENTS = Set.of(
            "session.update", "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
            "conversation.item.create", "conversation.item.retrieve", "conversation.item.truncate",
            "conversation.item.delete", "response.create", "response.cancel");

    /** Linear RMS over which a 20 ms frame counts as voiced (about -36 dBFS). */
    static final double VOICED_RMS = 500;
    static final int FRAME_BYTES = 160;
    static final int DELTA_MILLIS = 100;

    private final RealtimeSimulator sim;
    private final Vertx vertx;
    private final ServerWebSocket ws;
    private final int id;
    private final java.util.function.Supplier<List<Reply>> scripts;
    /** Taken from the simulator's script when the session is first configured, not when the socket opens. */
    private volatile List<Reply> script;
    private int scriptIndex;
    private int eventCounter;
    private int itemCounter;

    private boolean configured;
    /** Read by test threads: set once the first valid session.update is in the records. */
    private volatile boolean configurationRecorded;
    private String inputFormat = "audio/pcm";
    private boolean serverVad = true;
    private int silenceDurationMs = 500;
    private boolean createResponse = true;
    private boolean interruptResponse = true;
    private boolean transcribeInput;

    private long bufferMs;            // audio appended since the session began, in ms
    private int voicedRun;
    private int silentRunMs;
    private boolean inSpeech;
    private long speechStartMs;
    private String userItemId;
    private long userAudioMs;
    private String lastItemId;

    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Set<String> openCallIds = new HashSet<>();
    private Active active;
    private boolean closed;
    private final List<String> truncations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, java.io.ByteArrayOutputStream> audioByItem = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> assistantItems = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.io.ByteArrayOutputStream audioReceived = new java.io.ByteArrayOutputStream();

    record Item(String id, String type, String role, long[] audioMsSent) {
    }

    private final class Active {
        final String responseId;
        final String itemId;
        final Reply reply;
        final byte[] audio;
        int sentBytes;
        long timer = -1;
        final StringBuilder transcriptSent = new StringBuilder();

        Active(String responseId, String itemId, Reply reply, byte[] audio) {
            this.responseId = responseId;
            this.itemId = itemId;
            this.reply = reply;
            this.audio = audio;
        }
    }

    RealtimeConnection(RealtimeSimulator sim, Vertx vertx, ServerWebSocket ws, int id, java.util.function.Supplier<List<Reply>> scripts) {
        this.sim = sim;
        this.vertx = vertx;
        this.ws = ws;
        this.id = id;
        this.scripts = scripts;
    }

    /**
     * The replies of this session. A client may open a socket well before it uses it (the relay does,
     * ahead of a wake from hold), so the script is the one in force when the session is first
     * configured, or first needs a reply.
     */
    /**
     * The session has been configured (its first valid {@code session.update}, already in the
     * simulator's records), so its script is fixed.
     */
    public boolean configured() {
        return configurationRecorded;
    }

    private List<Reply> script() {
        if (script == null) {
            script = new java.util.ArrayList<>(scripts.get());
        }
        return script;
    }

    void begin() {
        ws.textMessageHandler(this::onText);
        ws.binaryMessageHandler(b -> error("invalid_request_error", "binary_frame", "Binary frames are not supported", null, null));
        ObjectNode session = obj().put("type", "realtime").put("object", "realtime.session").put("id", "sess_sim" + id)
                .put("model", "gpt-realtime").put("expires_at", Instant.now().plusSeconds(3600).getEpochSecond());
        send(event("session.created").set("session", session));
    }

    public int id() {
        return id;
    }

    /** Truncations accepted, as {@code itemId@audioEndMs}. */
    public List<String> truncations() {
        return List.copyOf(truncations);
    }

    /** Every byte of caller audio this session received, in order. */
    public byte[] audioReceived() {
        synchronized (audioReceived) {
            return audioReceived.toByteArray();
        }
    }

    /** Assistant items with audio, in the order they were spoken. */
    public List<String> assistantItems() {
        return List.copyOf(assistantItems);
    }

    /** The mu-law audio sent for an assistant item. */
    public byte[] audioSent(String itemId) {
        java.io.ByteArrayOutputStream out = audioByItem.get(itemId);
        if (out == null) {
            return new byte[0];
        }
        synchronized (out) {
            return out.toByteArray();
        }
    }

    void closed() {
        closed = true;
        stopActiveTimer();
        if (loadTimer >= 0) {
            vertx.cancelTimer(loadTimer);
        }
    }

    void closeFromServer() {
        if (!closed) {
            ws.close();
        }
    }

    private void onText(String text) {
        ObjectNode e;
        try {
            JsonNode node = RealtimeSimulator.JSON.readTree(text);
            if (!(node instanceof ObjectNode o)) {
                throw new IllegalArgumentException("not an object");
            }
            e = o;
        } catch (Exception ex) {
            sim.record(new RecordedEvent(id, "<invalid json>", obj(), true, "invalid JSON"));
            error("invalid_request_error", "invalid_json", "The event is not valid JSON.", null, null);
            return;
        }
        String type = e.path("type").asText("");
        String clientEventId = e.path("event_id").isTextual() ? e.get("event_id").asText() : null;
        if (!CLIENT_EVENTS.contains(type)) {
            reject(type, e, "unknown_event", "Invalid value: '" + type + "'. Supported values are client events.", "type", clientEventId);
            return;
        }
        String problem = switch (type) {
            case "session.update" -> sessionUpdate(e);
            case "input_audio_buffer.append" -> append(e);
            case "input_audio_buffer.commit" -> commit();
            case "input_audio_buffer.clear" -> clearBuffer();
            case "conversation.item.create" -> createItem(e);
            case "conversation.item.truncate" -> truncate(e);
            case "response.create" -> responseCreate(e);
            case "response.cancel" -> responseCancel();
            default -> null; // retrieve/delete: accepted and ignored
        };
        if (problem != null) {
            reject(type, e, "invalid_value", problem, null, clientEventId);
        } else {
            sim.record(new RecordedEvent(id, type, e, false, null));
            if ("session.update".equals(type)) {
                configurationRecorded = true;
            }
            if (sim.loadProbe() != null && !"input_audio_buffer.append".equals(type)) {
                sim.loadProbe().onClientEvent(id, e);
            }
        }
    }

    private void reject(String type, ObjectNode e, String code, String message, String param, String clientEventId) {
        sim.record(new RecordedEvent(id, type, e, true, message));
        error("invalid_request_error", code, message, param, clientEventId);
    }

    private String sessionUpdate(ObjectNode e) {
        JsonNode s = e.path("session");
        if (!s.isObject()) {
            return "Missing required parameter: 'session'.";
        }
        if (!"realtime".equals(s.path("type").asText(null))) {
            return "Missing required parameter: 'session.type'.";
        }
        script(); // the session starts now: its script is the one in force
        if (s.has("temperature")) {
            return "Unknown parameter: 'session.temperature'.";
        }
        JsonNode input = s.path("audio").path("input");
        if (input.path("format").has("type")) {
            inputFormat = input.path("format").path("type").asText();
        }
        JsonNode td = input.path("turn_detection");
        if (td.isNull()) {
            serverVad = false;
        } else if (td.isObject()) {
            serverVad = true;
            silenceDurationMs = td.path("silence_duration_ms").asInt(500);
            createResponse = td.path("create_response").asBoolean(true);
            interruptResponse = td.path("interrupt_response").asBoolean(true);
        }
        if (input.has("transcription")) {
            transcribeInput = input.path("transcription").isObject();
        }
        if (!configured && sim.loadProbe() != null) {
            startLoadStream();
        }
        String badTool = McpTools.problem(s.path("tools"));
        if (badTool != null) {
            return badTool;
        }
        configured = true;
        ObjectNode session = s.deepCopy();
        session.put("id", "sess_sim" + id).put("object", "realtime.session");
        send(event("session.updated").set("session", session));
        for (JsonNode tool : s.path("tools")) {
            if ("mcp".equals(tool.path("type").asText())) { // the service lists each server's tools itself
                String itemId = newItemId();
                send(event("mcp_list_tools.in_progress").put("item_id", itemId));
                send(event("mcp_list_tools.completed").put("item_id", itemId));
            }
        }
        return null;
    }

    private String append(ObjectNode e) {
        String audio = e.path("audio").asText(null);
        if (audio == null) {
            return "Missing required parameter: 'audio'.";
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(audio);
        } catch (IllegalArgumentException notBase64) {
            return "Invalid 'audio'. Expected base64-encoded audio.";
        }
        if (bytes.length == 0 || audio.length() % 4 != 0) { // empty or cut short: not audio the service takes
            return "Invalid 'audio'. Expected base64-encoded audio.";
        }
        sim.countAudio(bytes.length);
        if (sim.loadProbe() == null) {
            synchronized (audioReceived) {
                audioReceived.write(bytes, 0, bytes.length);
            }
        }
        RealtimeSimulator.LoadProbe probe = sim.loadProbe();
        if (probe != null) {
            probe.onAppend(bytes);
            return null;
        }
        if (!"audio/pcmu".equals(inputFormat)) {
            return null; // only mu-law is analysed; other formats are accepted and ignored
        }
        for (int off = 0; off < bytes.length; off += FRAME_BYTES) {
            int len = Math.min(FRAME_BYTES, bytes.length - off);
            vadFrame(MuLaw.rms(bytes, off, len) > VOICED_RMS, len / MuLaw.BYTES_PER_MS);
        }
        return null;
    }

    private void vadFrame(boolean voiced, int ms) {
        long frameStart = bufferMs;
        bufferMs += ms;
        if (!serverVad) {
            return;
        }
        if (voiced) {
            voicedRun++;
            silentRunMs = 0;
            if (!inSpeech && voicedRun >= 2) {
                inSpeech = true;
                speechStartMs = Math.max(0, frameStart - 20);
                userItemId = newItemId();
                send(event("input_audio_buffer.speech_started").put("audio_start_ms", speechStartMs).put("item_id", userItemId));
                if (active != null && interruptResponse) {
                    cancelActive("turn_detected");
                }
            }
        } else {
            voicedRun = 0;
            if (inSpeech) {
                silentRunMs += ms;
                if (silentRunMs >= silenceDurationMs) {
                    endOfTurn(bufferMs - silentRunMs);
                }
            }
        }
    }

    private void endOfTurn(long audioEndMs) {
        inSpeech = false;
        silentRunMs = 0;
        userAudioMs += audioEndMs - speechStartMs;
        send(event("input_audio_buffer.speech_stopped").put("audio_end_ms", audioEndMs).put("item_id", userItemId));
        commitUserItem(userItemId);
        if (createResponse && active == null) {
            startResponse();
        }
    }


    private long loadTimer = -1;

    private void startLoadStream() {
        String itemId = newItemId();
        items.put(itemId, new Item(itemId, "message", "assistant", new long[1]));
        // every server event carries an event_id (clients that validate events, such as the Agents SDK, drop one
        // without); one per stream keeps the hot loop free of allocation, which no client here checks
        String prefix = "{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_load" + id
                + "\",\"response_id\":\"resp_load" + id
                + "\",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"";
        byte[] frame = new byte[FRAME_BYTES];
        loadTimer = vertx.setPeriodic(20, t -> {
            if (closed) {
                vertx.cancelTimer(loadTimer);
                return;
            }
            if (!sim.loadProbe().fillDelta(frame)) {
                return;
            }
            items.get(itemId).audioMsSent()[0] += 20;
            ws.writeTextMessage(prefix + Base64.getEncoder().encodeToString(frame) + "\"}");
        });
    }

    private String commit() {
        if (inSpeech || userItemId == null) {
            userItemId = newItemId();
        }
        commitUserItem(userItemId);
        return null;
    }

    private void commitUserItem(String itemId) {
        send(event("input_audio_buffer.committed").put("item_id", itemId).put("previous_item_id", lastItemId));
        ObjectNode item = obj().put("id", itemId).put("object", "realtime.item").put("type", "message")
                .put("role", "user").put("status", "completed");
        item.putArray("content").addObject().put("type", "input_audio");
        itemAdded(item, new Item(itemId, "message", "user", new long[1]));
        if (transcribeInput) {
            String queued = sim.nextHeard();
            String heard = queued != null ? queued : scriptIndex < script().size() && script().get(scriptIndex).userTranscript() != null
                    ? script().get(scriptIndex).userTranscript() : "(caller speech)";
            ObjectNode transcript = event("conversation.item.input_audio_transcription.completed").put("item_id", itemId)
                    .put("content_index", 0).put("transcript", heard);
            long delay = sim.transcriptionDelayMillis();
            if (delay <= 0) {
                send(transcript);
            } else {
                vertx.setTimer(delay, t -> {
                    if (!closed) {
                        send(transcript);
                    }
                });
            }
        }
    }

    private String clearBuffer() {
        inSpeech = false;
        voicedRun = 0;
        silentRunMs = 0;
        send(event("input_audio_buffer.cleared"));
        return null;
    }

    private String createItem(ObjectNode e) {
        JsonNode item = e.path("item");
        String type = item.path("type").asText("");
        switch (type) {
            case "message" -> {
                String role = item.path("role").asText("");
                if (!Set.of("user", "system", "assistant").contains(role)) {
                    return "Invalid value: '" + role + "'. Supported values are: 'user', 'system' and 'assistant'.";
                }
                if (!item.path("content").isArray() || item.path("content").isEmpty()) {
                    return "Missing required parameter: 'item.content'.";
                }
                String itemId = item.path("id").asText(newItemId());
                ObjectNode stored = ((ObjectNode) item).deepCopy().put("id", itemId).put("status", "completed");
                itemAdded(stored, new Item(itemId, "message", role, new long[1]));
            }
            case "function_call_output" -> {
                JsonNode output = item.path("output");
                String callId = item.path("call_id").asText("");
                if (!openCallIds.remove(callId)) {
                    return "Tool call ID '" + callId + "' not found in conversation.";
                }
                if (!output.isTextual()) {
                    return "Invalid type for 'item.output': expected a string.";
                }
                String itemId = newItemId();
                ObjectNode stored = ((ObjectNode) item).deepCopy().put("id", itemId);
                itemAdded(stored, new Item(itemId, "function_call_output", null, new long[1]));
            }
            default -> {
                return "Invalid value: '" + type + "'. Supported values are: 'message', 'function_call' and 'function_call_output'.";
            }
        }
        return null;
    }

    private String truncate(ObjectNode e) {
        String itemId = e.path("item_id").asText("");
        Item item = items.get(itemId);
        if (item == null) {
            return "Item with item_id not found: " + itemId;
        }
        if (!"assistant".equals(item.role()) || !"message".equals(item.type())) {
            return "Only model output audio messages can be truncated";
        }
        if (!e.path("audio_end_ms").canConvertToLong()) {
            return "Missing required parameter: 'audio_end_ms'.";
        }
        long end = e.path("audio_end_ms").asLong();
        if (end < 0 || end > item.audioMsSent()[0]) {
            return "Audio content of " + item.audioMsSent()[0] + "ms is already shorter than " + end + "ms";
        }
        truncations.add(itemId + "@" + end);
        send(event("conversation.item.truncated").put("item_id", itemId).put("content_index", 0).put("audio_end_ms", end));
        return null;
    }

    private String responseCreate(ObjectNode e) {
        if (!configured) {
            return "The session has not been configured with session.update.";
        }
        if (sim.loadProbe() != null) {
            return null; // load sessions stream continuously already
        }
        if (active != null) {
            return "Conversation already has an active response in progress: " + active.responseId;
        }
        startResponse(wordsAskedFor(e.path("response").path("instructions").asText("")));
        return null;
    }

    /** The words a {@code response.create} asks for ("Say exactly this...: <words>"), or null. */
    static String wordsAskedFor(String instructions) {
        int exactly = instructions.indexOf("exactly");
        int colon = exactly < 0 ? -1 : instructions.indexOf(':', exactly);
        return colon < 0 ? null : instructions.substring(colon + 1).trim();
    }

    private String responseCancel() {
        if (active == null) {
            return "Cancellation failed: no active response found";
        }
        cancelActive("client_cancelled");
        return null;
    }

    private void startResponse() {
        startResponse(null);
    }

    /** The next scripted reply; past the script, the words asked for (or a stock sentence). */
    private void startResponse(String wordsAskedFor) {
        Reply reply = scriptIndex < script().size() ? script().get(scriptIndex++)
                : wordsAskedFor != null && !wordsAskedFor.isBlank() ? Reply.speak(wordsAskedFor, 60 * wordsAskedFor.length())
                : Reply.speak("This is the simulator speaking.", 1200);
        String responseId = "resp_sim" + id + "_" + (++eventCounter);
        ObjectNode response = obj().put("id", responseId).put("object", "realtime.response").put("status", "in_progress");
        response.putArray("output");
        send(event("response.created").set("response", response));
        String itemId = newItemId();
        if (reply.kind() == Reply.Kind.CALL_FUNCTION) {
            emitFunctionCall(responseId, itemId, reply);
            return;
        }
        if (reply.kind() == Reply.Kind.MCP_CALL) {
            ObjectNode item = McpTools.call(this::send, this::event, responseId, itemId, reply);
            itemAdded(item, new Item(itemId, "mcp_call", null, new long[1]));
            responseDone(responseId, "completed", null, item, 0, 8);
            startResponse(); // the service carries on by itself with the server's answer
            return;
        }
        ObjectNode item = obj().put("id", itemId).put("object", "realtime.item").put("type", "message")
                .put("role", "assistant").put("status", "in_progress");
        item.putArray("content");
        send(event("response.output_item.added").put("response_id", responseId).put("output_index", 0).set("item", item.deepCopy()));
        itemAdded(item, new Item(itemId, "message", "assistant", new long[1]));
        send(event("response.content_part.added").put("response_id", responseId).put("item_id", itemId)
                .put("output_index", 0).put("content_index", 0)
                .set("part", obj().put("type", "output_audio").put("transcript", "")));
        active = new Active(responseId, itemId, reply, sim.voice().say(reply.text(), reply.audioMillis(), responseId.hashCode()));
        long period = Math.max(1, Math.round(DELTA_MILLIS / sim.speed()));
        active.timer = vertx.setPeriodic(0, period, t -> streamNext());
    }

    private void streamNext() {
        Active a = active;
        if (a == null || closed) {
            return;
        }
        int chunk = DELTA_MILLIS * MuLaw.BYTES_PER_MS;
        int len = Math.min(chunk, a.audio.length - a.sentBytes);
        if (len > 0) {
            byte[] part = new byte[len];
            System.arraycopy(a.audio, a.sentBytes, part, 0, len);
            a.sentBytes += len;
            java.io.ByteArrayOutputStream out = audioByItem.computeIfAbsent(a.itemId, k -> {
                assistantItems.add(k);
                return new java.io.ByteArrayOutputStream();
            });
            synchronized (out) {
                out.write(part, 0, part.length);
            }
            items.get(a.itemId).audioMsSent()[0] = a.sentBytes / MuLaw.BYTES_PER_MS;
            send(event("response.output_audio.delta").put("response_id", a.responseId).put("item_id", a.itemId)
                    .put("output_index", 0).put("content_index", 0).put("delta", Base64.getEncoder().encodeToString(part)));
            String words = transcriptUpTo(a.reply.text(), (double) a.sentBytes / a.audio.length);
            if (words.length() > a.transcriptSent.length()) {
                send(event("response.output_audio_transcript.delta").put("response_id", a.responseId)
                        .put("item_id", a.itemId).put("output_index", 0).put("content_index", 0)
                        .put("delta", words.substring(a.transcriptSent.length())));
                a.transcriptSent.setLength(0);
                a.transcriptSent.append(words);
            }
        }
        if (a.sentBytes >= a.audio.length) {
            finishSpeech(a, "completed", null);
        }
    }

    private static String transcriptUpTo(String text, double fraction) {
        if (fraction >= 1) {
            return text;
        }
        int cut = (int) (text.length() * fraction);
        int space = text.lastIndexOf(' ', cut);
        return space <= 0 ? "" : text.substring(0, space + 1);
    }

    private void cancelActive(String reason) {
        Active a = active;
        if (a == null) {
            return;
        }
        if (a.audio == null) {
            return; // function-call responses complete synchronously
        }
        finishSpeech(a, "cancelled", reason);
    }

    private void finishSpeech(Active a, String status, String reason) {
        stopActiveTimer();
        active = null;
        String transcript = "completed".equals(status) ? a.reply.text() : a.transcriptSent.toString().trim();
        ObjectNode base = obj().put("response_id", a.responseId).put("item_id", a.itemId).put("output_index", 0).put("content_index", 0);
        send((ObjectNode) event("response.output_audio.done").setAll(base.deepCopy()));
        send(((ObjectNode) event("response.output_audio_transcript.done").setAll(base.deepCopy())).put("transcript", transcript));
        ObjectNode item = obj().put("id", a.itemId).put("object", "realtime.item").put("type", "message")
                .put("role", "assistant").put("status", "completed".equals(status) ? "completed" : "incomplete");
        item.putArray("content").addObject().put("type", "output_audio").put("transcript", transcript);
        send(event("response.output_item.done").put("response_id", a.responseId).put("output_index", 0).set("item", item.deepCopy()));
        send(event("conversation.item.done").set("item", item.deepCopy()));
        long outAudioMs = a.sentBytes / MuLaw.BYTES_PER_MS;
        responseDone(a.responseId, status, reason, item, outAudioMs, transcript.split("\\s+").length);
    }

    private void emitFunctionCall(String responseId, String itemId, Reply reply) {
        List<ObjectNode> items = new ArrayList<>();
        int index = 0;
        for (Reply call = reply; call != null; call = call.alongside(), index++) {
            items.add(emitOneCall(responseId, index == 0 ? itemId : newItemId(), index, call));
        }
        responseDone(responseId, "completed", null, items, 0, 12 * items.size());
    }

    private ObjectNode emitOneCall(String responseId, String itemId, int outputIndex, Reply reply) {
        String callId = "call_sim" + id + "_" + (++eventCounter);
        ObjectNode item = obj().put("id", itemId).put("object", "realtime.item").put("type", "function_call")
                .put("status", "in_progress").put("name", reply.functionName()).put("call_id", callId).put("arguments", "");
        send(event("response.output_item.added").put("response_id", responseId).put("output_index", outputIndex).set("item", item.deepCopy()));
        itemAdded(item, new Item(itemId, "function_call", null, new long[1]));
        send(event("response.function_call_arguments.delta").put("response_id", responseId).put("item_id", itemId)
                .put("output_index", outputIndex).put("call_id", callId).put("delta", reply.argumentsJson()));
        send(event("response.function_call_arguments.done").put("response_id", responseId).put("item_id", itemId)
                .put("output_index", outputIndex).put("call_id", callId).put("name", reply.functionName())
                .put("arguments", reply.argumentsJson()));
        item.put("status", "completed").put("arguments", reply.argumentsJson());
        send(event("response.output_item.done").put("response_id", responseId).put("output_index", outputIndex).set("item", item.deepCopy()));
        send(event("conversation.item.done").set("item", item.deepCopy()));
        openCallIds.add(callId);
        return item;
    }

    private void responseDone(String responseId, String status, String reason, ObjectNode item, long outAudioMs, int words) {
        responseDone(responseId, status, reason, List.of(item), outAudioMs, words);
    }

    private void responseDone(String responseId, String status, String reason, List<ObjectNode> outputItems, long outAudioMs,
                              int words) {
        ObjectNode response = obj().put("id", responseId).put("object", "realtime.response").put("status", status);
        if (reason != null) {
            response.set("status_details", obj().put("type", status).put("reason", reason));
        }
        ArrayNode output = response.putArray("output");
        outputItems.forEach(output::add);
        long inputAudio = userAudioMs / 100;          // about 10 tokens a second of caller audio
        long inputText = 120L + 15L * items.size();   // instructions plus the conversation so far
        long outputAudio = outAudioMs / 50;           // about 20 tokens a second of agent audio
        long outputText = words;
        ObjectNode usage = obj().put("total_tokens", inputAudio + inputText + outputAudio + outputText)
                .put("input_tokens", inputAudio + inputText).put("output_tokens", outputAudio + outputText);
        usage.set("input_token_details", obj().put("text_tokens", inputText).put("audio_tokens", inputAudio)
                .put("image_tokens", 0).put("cached_tokens", 0));
        usage.set("output_token_details", obj().put("text_tokens", outputText).put("audio_tokens", outputAudio));
        response.set("usage", usage);
        send(event("response.done").set("response", response));
    }

    private void itemAdded(ObjectNode item, Item info) {
        items.put(info.id(), info);
        send(event("conversation.item.added").put("previous_item_id", lastItemId).set("item", item.deepCopy()));
        send(event("conversation.item.done").put("previous_item_id", lastItemId).set("item", item.deepCopy()));
        lastItemId = info.id();
    }

    private void stopActiveTimer() {
        if (active != null && active.timer >= 0) {
            vertx.cancelTimer(active.timer);
            active.timer = -1;
        }
    }

    /** Sends a server error event; most errors are not fatal and leave the session open, as in the real API. */
    private void error(String type, String code, String message, String param, String clientEventId) {
        ObjectNode err = obj().put("type", type).put("code", code).put("message", message).put("param", param)
                .put("event_id", clientEventId);
        send(event("error").set("error", err));
    }

    /** Ends the session as the real service does at its time limit. */
    public void expire() {
        vertx.runOnContext(v -> {
            error("invalid_request_error", "session_expired", "Your session hit the maximum duration of 60 minutes.", null, null);
            ws.close((short) 1001, "session expired");
        });
    }

    private ObjectNode event(String type) {
        return obj().put("type", type).put("event_id", "event_sim" + id + "_" + (++eventCounter));
    }

    private static ObjectNode obj() {
        return RealtimeSimulator.JSON.createObjectNode();
    }

    private String newItemId() {
        return "item_sim" + id + "_" + (++itemCounter);
    }

    private void send(ObjectNode event) {
        if (!closed) {
            ws.writeTextMessage(event.toString());
        }
    }
}
