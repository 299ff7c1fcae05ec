package dev.switchboard.core.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Clients of the live-events WebSocket API: {@code CONN#<connectionId> / CONN} items saying what each
 * connection subscribed to ({@code *} for every call, or one CallSid). They expire after a day, as
 * API Gateway closes WebSocket connections after two hours anyway.
 */
public final class Subscribers {

    static final Duration TTL = Duration.ofDays(1);

    private final DynamoDbClient dynamo;
    private final String table;

    public Subscribers(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static Map<String, AttributeValue> key(String connectionId) {
        return Map.of("pk", AttributeValue.fromS("CONN#" + connectionId), "sk", AttributeValue.fromS("CONN"));
    }

    public void connected(String connectionId, Instant now) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(connectionId));
        item.put("connectionId", AttributeValue.fromS(connectionId));
        item.put("connectedAt", AttributeValue.fromS(now.toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(TTL).getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    public void disconnected(String connectionId) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(connectionId)));
    }

    /** Subscribes a connection to one call or to all ({@code *}). */
    public void subscribe(String connectionId, String callSidOrAll, Instant now) {
        dynamo.updateItem(b -> b.tableName(table).key(key(connectionId))
                .updateExpression("SET subscribedTo = :c, updatedAt = :now")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(callSidOrAll), ":now", AttributeValue.fromS(now.toString()))));
    }

    public Map<String, AttributeValue> find(String connectionId) {
        var r = dynamo.getItem(b -> b.tableName(table).key(key(connectionId)).consistentRead(true));
        return r.hasItem() ? r.item() : Map.of();
    }
}
