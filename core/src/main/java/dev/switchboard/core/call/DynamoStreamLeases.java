package dev.switchboard.core.call;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Which stream holds a call, as conditional writes on its record. A relay takes a call only with its
 * one-time token, in one write that also checks the token (so two relays racing with the same token:
 * exactly one wins). A new token is issued only when the stream that held the call is known to be
 * over: Twilio reported it ended without an outcome ({@link #resume}), or its relay hands it over
 * ({@link #handOver}). Every later write of the old relay is guarded by its {@code streamSid}, so a
 * relay that was only cut off, not dead, cannot end or change a call another relay now holds.
 */
final class DynamoStreamLeases {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Function<String, Optional<CallRecord>> find;

    DynamoStreamLeases(DynamoDbClient dynamo, String table, Function<String, Optional<CallRecord>> find) {
        this.dynamo = dynamo;
        this.table = table;
        this.find = find;
    }

    /**
     * One conditional write: the token's hash matches, it is unused and unexpired, the call is not over.
     * DynamoDB compares the hash, not the token: timing tells nothing about a 256-bit random token.
     * Only a refusal reads the record again, to say why.
     */
    ClaimResult claim(StreamClaim claim, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":now", DynamoCallStore.s(now.toString()));
        values.put(":nowMs", DynamoCallStore.n(now.toEpochMilli()));
        values.put(":sid", DynamoCallStore.s(claim.streamSid()));
        values.put(":relay", DynamoCallStore.s(claim.relayAddress()));
        values.put(":hash", DynamoCallStore.s(claim.presentedTokenHash()));
        values.put(":one", DynamoCallStore.n(1));
        values.put(":final", DynamoCallStore.n(CallStatus.COMPLETED.rank()));
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(DynamoCallStore.key(claim.callSid()))
                    .updateExpression("SET streamTokenUsedAt = :now, streamSid = :sid, relayAddress = :relay, claimedAt = :now, "
                            + "updatedAt = :now, version = version + :one")
                    .conditionExpression("attribute_exists(pk) AND streamTokenHash = :hash AND attribute_not_exists(streamTokenUsedAt) "
                            + "AND streamTokenExpiry > :nowMs AND statusRank < :final")
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return ClaimResult.accepted(CallRecordMapper.fromItem(r.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return ClaimResult.refused(whyRefused(claim, now));
        }
    }

    private String whyRefused(StreamClaim claim, Instant now) {
        Optional<CallRecord> found = find.apply(claim.callSid());
        if (found.isEmpty()) {
            return "unknown call";
        }
        CallRecord call = found.get();
        if (!MessageDigest.isEqual(call.streamTokenHash().getBytes(StandardCharsets.US_ASCII),
                claim.presentedTokenHash().getBytes(StandardCharsets.US_ASCII))) {
            return "stream token does not match";
        }
        if (call.streamTokenUsedAt().isPresent()) {
            return "stream token already used";
        }
        if (!now.isBefore(call.streamTokenExpiresAt())) {
            return "stream token expired";
        }
        if (call.status().isFinal()) {
            return "call already " + call.status().wire();
        }
        return "call changed while the stream was claimed";
    }

    /**
     * Twilio reported the stream over (the {@code <Connect action>}) and the call has no outcome: a new
     * token for a new stream, if the record is still as read ({@code version}) and fewer than
     * {@code maxResumes} resumptions were made.
     */
    boolean resume(String callSid, long version, String tokenHash, Instant expiresAt, int maxResumes, Instant now) {
        return newToken(callSid, "version = :v", Map.of(":v", DynamoCallStore.n(version)), tokenHash, expiresAt, maxResumes, now);
    }

    /** The relay holding {@code streamSid} hands the call to another relay (a drain): a new token, same bounds. */
    boolean handOver(String callSid, String streamSid, String tokenHash, Instant expiresAt, int maxResumes, Instant now) {
        return newToken(callSid, "streamSid = :held", Map.of(":held", DynamoCallStore.s(streamSid)), tokenHash, expiresAt,
                maxResumes, now);
    }

    private boolean newToken(String callSid, String guard, Map<String, AttributeValue> guardValues, String tokenHash,
                             Instant expiresAt, int maxResumes, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(guardValues);
        values.put(":h", DynamoCallStore.s(tokenHash));
        values.put(":e", DynamoCallStore.s(expiresAt.toString()));
        values.put(":eMs", DynamoCallStore.n(expiresAt.toEpochMilli()));
        values.put(":true", AttributeValue.fromBool(true));
        values.put(":zero", DynamoCallStore.n(0));
        values.put(":one", DynamoCallStore.n(1));
        values.put(":max", DynamoCallStore.n(maxResumes));
        values.put(":now", DynamoCallStore.s(now.toString()));
        values.put(":final", DynamoCallStore.n(CallStatus.COMPLETED.rank()));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(DynamoCallStore.key(callSid))
                    .updateExpression("SET streamTokenHash = :h, streamTokenExpiresAt = :e, streamTokenExpiry = :eMs, "
                            + "resuming = :true, resumes = if_not_exists(resumes, :zero) + :one, resumedAt = :now, "
                            + "updatedAt = :now, version = version + :one REMOVE streamTokenUsedAt")
                    .conditionExpression("attribute_exists(pk) AND " + guard + " AND attribute_not_exists(outcome) "
                            + "AND statusRank < :final AND (attribute_not_exists(resumes) OR resumes < :max)")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
