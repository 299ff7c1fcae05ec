package dev.switchboard.core.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

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
        Map<String, AttributeValue> item = new HashMap<>(key(connectionId));
        item.put("connectionId", AttributeValue.fromS(connectionId));
        item.put("connectedAt", AttributeValue.fromS(now.toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(TTL).getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** Forgets a connection and its subscription (also when API Gateway says it is gone). */
    public void disconnected(String connectionId) {
        var old = dynamo.deleteItem(b -> b.tableName(table).key(key(connectionId)).returnValues(ReturnValue.ALL_OLD));
        if (old.hasAttributes() && old.attributes().containsKey("subscribedTo")) {
            dynamo.deleteItem(b -> b.tableName(table).key(indexKey(old.attributes().get("subscribedTo").s(), connectionId)));
        }
    }

    /**
     * Subscribes a connection to one call or to all ({@code *}), replacing what it followed before. Two
     * items: the connection's own, and {@code SUBS#<call or *> / CONN#<id>}, which is what publishers
     * query (one Query per call, never a Scan).
     */
    public void subscribe(String connectionId, String callSidOrAll, Instant now) {
        var old = dynamo.updateItem(b -> b.tableName(table).key(key(connectionId))
                .updateExpression("SET subscribedTo = :c, updatedAt = :now")
                .conditionExpression("attribute_exists(pk)")
                .returnValues(ReturnValue.UPDATED_OLD)
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(callSidOrAll), ":now", AttributeValue.fromS(now.toString()))));
        if (old.hasAttributes() && old.attributes().containsKey("subscribedTo")
                && !old.attributes().get("subscribedTo").s().equals(callSidOrAll)) {
            dynamo.deleteItem(b -> b.tableName(table).key(indexKey(old.attributes().get("subscribedTo").s(), connectionId)));
        }
        Map<String, AttributeValue> index = new HashMap<>(indexKey(callSidOrAll, connectionId));
        index.put("connectionId", AttributeValue.fromS(connectionId));
        index.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(TTL).getEpochSecond())));
        dynamo.putItem(b -> b.tableName(table).item(index));
    }

    /** The connections following {@code callSid} or every call. */
    public List<String> following(String callSid) {
        List<String> ids = new ArrayList<>();
        for (String target : List.of(callSid, "*")) {
            dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :p")
                            .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("SUBS#" + target))))
                    .items().forEach(item -> ids.add(item.get("connectionId").s()));
        }
        return ids;
    }

    static Map<String, AttributeValue> indexKey(String target, String connectionId) {
        return Map.of("pk", AttributeValue.fromS("SUBS#" + target), "sk", AttributeValue.fromS("CONN#" + connectionId));
    }

    public Map<String, AttributeValue> find(String connectionId) {
        var r = dynamo.getItem(b -> b.tableName(table).key(key(connectionId)).consistentRead(true));
        return r.hasItem() ? r.item() : Map.of();
    }
}
