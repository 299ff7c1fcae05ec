package dev.switchboard.core.call;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The table's shape, for local runs and tests. On AWS the same shape comes from template.yaml;
 * {@code TemplateAgreementTest}-style checks keep the two in step.
 */
public final class CallTable {

    private CallTable() {
    }

    /** Creates the table if it does not exist, with TTL on {@code expiresAt}. */
    public static void ensureExists(DynamoDbClient dynamo, String table) {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            dynamo.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true)));
        } catch (ResourceInUseException alreadyThere) {
            // created by an earlier run or another process: nothing to do
        }
    }
}
