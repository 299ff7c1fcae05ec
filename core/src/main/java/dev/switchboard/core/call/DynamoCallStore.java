package dev.switchboard.core.call;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link CallStore} on one DynamoDB table ({@code pk}, {@code sk}, TTL on {@code expiresAt}).
 *
 * <p>Written on the low-level client rather than the Enhanced Client on purpose: every write here is
 * a partial, conditional update (status only forward, a token consumed once, counters added,
 * transcript lines appended) that the Enhanced Client's whole-item mapping cannot express without a
 * read-modify-write race.
 */
public final class DynamoCallStore implements CallStore {

    static final int MAX_TRANSCRIPT_LINES = 400;
    static final int MAX_LINE_CHARS = 2000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final java.time.Duration retention;
    private final DynamoStreamLeases leases;

    public DynamoCallStore(DynamoDbClient dynamo, String table, java.time.Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.leases = new DynamoStreamLeases(dynamo, table, this::find);
    }

    static Map<String, AttributeValue> key(String callSid) {
        return Map.of("pk", s("CALL#" + callSid), "sk", s("CALL"));
    }

    @Override
    public boolean create(NewCall call, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(call.callSid()));
        item.put("callSid", s(call.callSid()));
        item.put("direction", s(call.direction().name().toLowerCase()));
        item.put("from", s(nullToEmpty(call.from())));
        item.put("to", s(nullToEmpty(call.to())));
        item.put("agent", s(call.agent()));
        item.put("status", s(call.status().wire()));
        item.put("statusRank", n(call.status().rank()));
        item.put("streamTokenHash", s(call.streamTokenHash()));
        item.put("streamTokenExpiresAt", s(call.streamTokenExpiresAt().toString()));
        item.put("streamTokenExpiry", n(call.streamTokenExpiresAt().toEpochMilli()));
        item.put("createdAt", s(now.toString()));
        item.put("updatedAt", s(now.toString()));
        item.put("streamEvents", AttributeValue.fromM(Map.of()));
        item.put("usage", AttributeValue.fromM(usageMap(Usage.ZERO)));
        item.put("hold", AttributeValue.fromM(holdMap(HoldUsage.ZERO)));
        item.put("transcript", AttributeValue.fromL(List.of()));
        item.put("version", n(1));
        item.put("expiresAt", n(now.plus(retention).getEpochSecond()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<CallRecord> find(String callSid) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(callSid)).consistentRead(true));
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(CallRecordMapper.fromItem(r.item())) : Optional.empty();
    }

    @Override
    public boolean reissueStreamToken(String callSid, String tokenHash, Instant expiresAt, Instant now) {
        return update(callSid,
                "SET streamTokenHash = :h, streamTokenExpiresAt = :e, streamTokenExpiry = :eMs, updatedAt = :now, "
                        + "version = version + :one REMOVE streamTokenUsedAt",
                "attribute_exists(pk) AND statusRank < :final AND attribute_not_exists(streamTokenUsedAt)",
                Map.of(":h", s(tokenHash), ":e", s(expiresAt.toString()), ":eMs", n(expiresAt.toEpochMilli()), ":now", s(now.toString()),
                        ":one", n(1), ":final", n(CallStatus.COMPLETED.rank())),
                Map.of());
    }

    @Override
    public ClaimResult claimStream(StreamClaim claim, Instant now) {
        return leases.claim(claim, now);
    }

    @Override
    public boolean resumeStream(String callSid, long version, String tokenHash, Instant expiresAt, int maxResumes, Instant now) {
        return leases.resume(callSid, version, tokenHash, expiresAt, maxResumes, now);
    }

    @Override
    public boolean handOverStream(String callSid, String streamSid, String tokenHash, Instant expiresAt, int maxResumes,
                                  Instant now) {
        return leases.handOver(callSid, streamSid, tokenHash, expiresAt, maxResumes, now);
    }

    @Override
    public void resumed(String callSid, String streamSid, Instant now) {
        update(callSid, "SET updatedAt = :now, version = version + :one REMOVE resuming", "streamSid = :sid",
                Map.of(":now", s(now.toString()), ":one", n(1), ":sid", s(streamSid)), Map.of());
    }

    @Override
    public void saveHolding(String callSid, String streamSid, boolean holding, Instant now) {
        update(callSid, "SET holding = :h, updatedAt = :now, version = version + :one", "streamSid = :sid",
                Map.of(":h", AttributeValue.fromBool(holding), ":now", s(now.toString()), ":one", n(1), ":sid", s(streamSid)),
                Map.of());
    }

    @Override
    public boolean advanceStatus(String callSid, CallStatus status, Optional<Long> durationSeconds,
                                 Instant eventTime, Instant now) {
        StringBuilder set = new StringBuilder("SET #status = :status, statusRank = :rank, updatedAt = :now, version = version + :one");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.wire()), ":rank", n(status.rank()),
                ":now", s(now.toString()), ":one", n(1)));
        if (status == CallStatus.IN_PROGRESS) {
            set.append(", answeredAt = if_not_exists(answeredAt, :at)");
            values.put(":at", s(eventTime.toString()));
        }
        if (status.isFinal()) {
            set.append(", endedAt = if_not_exists(endedAt, :at)");
            values.put(":at", s(eventTime.toString()));
        }
        durationSeconds.ifPresent(d -> {
            set.append(", durationSeconds = :d");
            values.put(":d", n(d));
        });
        return update(callSid, set.toString(), "attribute_exists(pk) AND statusRank < :rank", values,
                Map.of("#status", "status"));
    }

    @Override
    public boolean recordStreamEvent(String callSid, String event, Instant eventTime, Instant now) {
        return update(callSid,
                "SET streamEvents.#e = if_not_exists(streamEvents.#e, :at), updatedAt = :now, version = version + :one",
                "attribute_exists(pk)",
                Map.of(":at", s(eventTime.toString()), ":now", s(now.toString()), ":one", n(1)),
                Map.of("#e", event));
    }

    @Override
    public void appendTranscript(String callSid, TranscriptLine line, Instant now) {
        String text = line.text().length() > MAX_LINE_CHARS ? line.text().substring(0, MAX_LINE_CHARS) + "…" : line.text();
        Map<String, AttributeValue> entry = Map.of("speaker", s(line.speaker()), "text", s(text), "at", s(line.at().toString()));
        boolean appended = update(callSid,
                "SET transcript = list_append(transcript, :line), updatedAt = :now, version = version + :one",
                "attribute_exists(pk) AND size(transcript) < :max",
                Map.of(":line", AttributeValue.fromL(List.of(AttributeValue.fromM(entry))), ":now", s(now.toString()),
                        ":one", n(1), ":max", n(MAX_TRANSCRIPT_LINES)),
                Map.of());
        if (!appended) {
            // The item must stay far below DynamoDB's 400 KB: past the cap we only count what was left out.
            update(callSid, "SET transcriptDropped = if_not_exists(transcriptDropped, :zero) + :one, version = version + :one",
                    "attribute_exists(pk)", Map.of(":zero", n(0), ":one", n(1)), Map.of());
        }
    }

    @Override
    public void addUsage(String callSid, Usage usage, Instant now) {
        addCounters(callSid, "usage", usageMap(usage), now);
    }

    @Override
    public void addHoldUsage(String callSid, HoldUsage hold, Instant now) {
        addCounters(callSid, "hold", holdMap(hold), now);
    }

    /** Adds each non-zero counter to the map attribute {@code attribute}, creating what is missing. */
    private void addCounters(String callSid, String attribute, Map<String, AttributeValue> counters, Instant now) {
        StringBuilder set = new StringBuilder("SET updatedAt = :now, version = version + :one");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", s(now.toString()), ":one", n(1), ":zero", n(0)));
        Map<String, String> names = new HashMap<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : counters.entrySet()) {
            if ("0".equals(e.getValue().n())) {
                continue;
            }
            names.put("#u" + i, e.getKey());
            values.put(":u" + i, e.getValue());
            set.append(", #m.#u").append(i).append(" = if_not_exists(#m.#u").append(i).append(", :zero) + :u").append(i);
            i++;
        }
        if (i == 0) {
            return;
        }
        names.put("#m", attribute);
        update(callSid, set.toString(), "attribute_exists(pk)", values, names);
    }

    @Override
    public Optional<CallRecord> saveAnsweredBy(String callSid, String answeredBy, Instant now) {
        try {
            var r = dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(callSid))
                    .updateExpression("SET answeredBy = :a, updatedAt = :now, version = version + :one")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":a", s(answeredBy), ":now", s(now.toString()), ":one", n(1)))
                    .returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW).build());
            return Optional.of(CallRecordMapper.fromItem(r.attributes()));
        } catch (ConditionalCheckFailedException unknown) {
            return Optional.empty();
        }
    }

    static Map<String, AttributeValue> contextKey(String callSid) {
        return Map.of("pk", s("CALL#" + callSid), "sk", s("CONTEXT"));
    }

    @Override
    public void saveConversation(String callSid, SavedConversation c, Instant now) {
        List<AttributeValue> items = c.items().stream()
                .map(i -> AttributeValue.fromM(Map.of("role", s(i.role()), "text", s(i.text())))).toList();
        Map<String, AttributeValue> item = new HashMap<>(contextKey(callSid));
        item.put("items", AttributeValue.fromL(items));
        item.put("step", s(c.step()));
        item.put("summary", s(c.summary()));
        item.put("savedAt", s(c.savedAt().toString()));
        item.put("expiresAt", n(now.plus(retention).getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public SavedConversation savedConversation(String callSid) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(contextKey(callSid)).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return SavedConversation.NONE;
        }
        List<SavedConversation.Item> items = r.item().get("items").l().stream().map(AttributeValue::m)
                .map(m -> new SavedConversation.Item(m.get("role").s(), m.get("text").s())).toList();
        return new SavedConversation(items, r.item().get("step").s(), r.item().get("summary").s(),
                Instant.parse(r.item().get("savedAt").s()));
    }

    @Override
    public boolean finish(String callSid, Outcome outcome, Instant now) {
        return setOutcome(callSid, outcome, "", Map.of(), now);
    }

    @Override
    public boolean finishStream(String callSid, String streamSid, Outcome outcome, Instant now) {
        return setOutcome(callSid, outcome, " AND streamSid = :sid", Map.of(":sid", s(streamSid)), now);
    }

    /** Sets the outcome if none is set yet (and the extra condition holds). */
    private boolean setOutcome(String callSid, Outcome outcome, String extraCondition,
                               Map<String, AttributeValue> extraValues, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(extraValues);
        values.put(":o", AttributeValue.fromM(outcomeMap(outcome)));
        values.put(":now", s(now.toString()));
        values.put(":one", n(1));
        return update(callSid,
                "SET outcome = :o, finishedAt = :now, updatedAt = :now, version = version + :one",
                "attribute_exists(pk) AND attribute_not_exists(outcome)" + extraCondition, values, Map.of());
    }

    static Map<String, AttributeValue> outcomeMap(Outcome outcome) {
        Map<String, AttributeValue> o = new LinkedHashMap<>();
        o.put("kind", s(outcome.kind()));
        o.put("reason", s(outcome.reason()));
        outcome.target().ifPresent(t -> o.put("target", s(t)));
        return o;
    }

    @Override
    public boolean startTransfer(String callSid, Transfer transfer, Instant now) {
        Map<String, AttributeValue> t = new LinkedHashMap<>();
        t.put("target", s(transfer.target()));
        t.put("reason", s(transfer.reason()));
        t.put("summary", s(transfer.summary()));
        Map<String, AttributeValue> o = outcomeMap(new Outcome("transferred", transfer.reason(), Optional.of(transfer.target())));
        return update(callSid,
                "SET transfer = :t, outcome = :o, updatedAt = :now, version = version + :one",
                "attribute_exists(pk) AND attribute_not_exists(outcome)",
                Map.of(":t", AttributeValue.fromM(t), ":o", AttributeValue.fromM(o), ":now", s(now.toString()), ":one", n(1)),
                Map.of());
    }

    @Override
    public void cancelTransfer(String callSid, String why, Instant now) {
        update(callSid, "SET transfer.#r = :why, updatedAt = :now, version = version + :one REMOVE outcome",
                "attribute_exists(pk) AND outcome.kind = :transferred",
                Map.of(":why", s(why), ":now", s(now.toString()), ":one", n(1), ":transferred", s("transferred")),
                Map.of("#r", "result"));
    }

    @Override
    public boolean returnFromTransfer(String callSid, String dialResult, String tokenHash, Instant tokenExpiresAt, Instant now) {
        return update(callSid,
                "SET transfer.#r = :result, streamTokenHash = :h, streamTokenExpiresAt = :e, streamTokenExpiry = :eMs, "
                        + "updatedAt = :now, version = version + :one REMOVE outcome, streamTokenUsedAt, streamSid",
                "attribute_exists(pk) AND outcome.kind = :transferred AND statusRank < :final",
                Map.of(":result", s(dialResult), ":h", s(tokenHash), ":e", s(tokenExpiresAt.toString()),
                        ":eMs", n(tokenExpiresAt.toEpochMilli()),
                        ":now", s(now.toString()), ":one", n(1), ":transferred", s("transferred"),
                        ":final", n(CallStatus.COMPLETED.rank())),
                Map.of("#r", "result"));
    }

    @Override
    public void completeTransfer(String callSid, String dialResult, Instant now) {
        update(callSid, "SET transfer.#r = :result, updatedAt = :now, version = version + :one",
                "attribute_exists(transfer)",
                Map.of(":result", s(dialResult), ":now", s(now.toString()), ":one", n(1)),
                Map.of("#r", "result"));
    }

    @Override
    public void saveSetup(String callSid, Map<String, String> variables, String instructions, Instant now) {
        Map<String, AttributeValue> vars = new HashMap<>();
        variables.forEach((k, v) -> vars.put(k, s(v)));
        update(callSid, "SET variables = :v, task = :t, updatedAt = :now, version = version + :one", "attribute_exists(pk)",
                Map.of(":v", AttributeValue.fromM(vars), ":t", s(instructions), ":now", s(now.toString()), ":one", n(1)), Map.of());
    }

    @Override
    public void saveTask(String callSid, String task, Instant now) {
        update(callSid, "SET task = :t, updatedAt = :now, version = version + :one", "attribute_exists(pk)",
                Map.of(":t", s(task), ":now", s(now.toString()), ":one", n(1)), Map.of());
    }

    @Override
    public void saveStep(String callSid, String step, Instant now) {
        update(callSid, "SET step = :s, updatedAt = :now, version = version + :one", "attribute_exists(pk)",
                Map.of(":s", s(step), ":now", s(now.toString()), ":one", n(1)), Map.of());
    }

    static final int MAX_KEYPAD_ENTRIES = 200;

    static Map<String, AttributeValue> keypadKey(String callSid) {
        return Map.of("pk", s("CALL#" + callSid), "sk", s("DTMF"));
    }

    @Override
    public KeypadState keypad(String callSid) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(keypadKey(callSid)).consistentRead(true));
        if (!r.hasItem() || r.item().isEmpty()) {
            return KeypadState.EMPTY;
        }
        List<KeypadEntry> entries = r.item().getOrDefault("entries", AttributeValue.fromL(List.of())).l().stream()
                .map(AttributeValue::m)
                .map(m -> new KeypadEntry(m.get("digits").s(), m.get("endedBy").s(), Instant.parse(m.get("at").s())))
                .toList();
        return new KeypadState(r.item().getOrDefault("buffer", s("")).s(), entries);
    }

    @Override
    public void saveKeypad(String callSid, String buffer, Optional<KeypadEntry> completed, Instant now) {
        StringBuilder set = new StringBuilder("SET #buffer = :b, updatedAt = :now, expiresAt = if_not_exists(expiresAt, :exp), "
                + "version = if_not_exists(version, :zero) + :one");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":b", s(buffer), ":now", s(now.toString()),
                ":exp", n(now.plus(retention).getEpochSecond()), ":zero", n(0), ":one", n(1)));
        String condition = "attribute_not_exists(entries) OR size(entries) < :max";
        values.put(":max", n(MAX_KEYPAD_ENTRIES));
        if (completed.isPresent()) {
            KeypadEntry e = completed.get();
            set.append(", entries = list_append(if_not_exists(entries, :none), :e)");
            values.put(":none", AttributeValue.fromL(List.of()));
            values.put(":e", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                    "digits", s(e.digits()), "endedBy", s(e.endedBy()), "at", s(e.at().toString()))))));
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(keypadKey(callSid))
                    .updateExpression(set.toString()).conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#buffer", "buffer")).expressionAttributeValues(values).build());
        } catch (ConditionalCheckFailedException full) {
            // past the cap only the open buffer is kept current
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(keypadKey(callSid))
                    .updateExpression("SET #buffer = :b, updatedAt = :now")
                    .expressionAttributeNames(Map.of("#buffer", "buffer"))
                    .expressionAttributeValues(Map.of(":b", s(buffer), ":now", s(now.toString()))).build());
        }
    }

    private boolean update(String callSid, String updateExpression, String condition,
                           Map<String, AttributeValue> values, Map<String, String> names) {
        UpdateItemRequest.Builder b = UpdateItemRequest.builder().tableName(table).key(key(callSid))
                .updateExpression(updateExpression).conditionExpression(condition)
                .expressionAttributeValues(values);
        if (!names.isEmpty()) {
            b.expressionAttributeNames(names);
        }
        try {
            dynamo.updateItem(b.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static Map<String, AttributeValue> usageMap(Usage u) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("inputTokens", n(u.inputTokens()));
        m.put("outputTokens", n(u.outputTokens()));
        m.put("inputTextTokens", n(u.inputTextTokens()));
        m.put("inputAudioTokens", n(u.inputAudioTokens()));
        m.put("cachedTokens", n(u.cachedTokens()));
        m.put("outputTextTokens", n(u.outputTextTokens()));
        m.put("outputAudioTokens", n(u.outputAudioTokens()));
        m.put("responses", n(u.responses()));
        m.put("audioMillisSent", n(u.audioMillisSent()));
        return m;
    }

    static Map<String, AttributeValue> holdMap(HoldUsage h) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("holds", n(h.holds()));
        m.put("heldMillis", n(h.heldMillis()));
        m.put("wakes", n(h.wakes()));
        m.put("falseWakes", n(h.falseWakes()));
        m.put("repeatsIgnored", n(h.repeatsIgnored()));
        m.put("wakeAudioMillis", n(h.wakeAudioMillis()));
        m.put("avoidedMicroUsd", n(h.avoidedMicroUsd()));
        m.put("warmWakes", n(h.warmWakes()));
        m.put("sungIgnored", n(h.sungIgnored()));
        return m;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static String nullToEmpty(String v) {
        return v == null ? "" : v;
    }
}
