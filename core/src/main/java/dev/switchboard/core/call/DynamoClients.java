package dev.switchboard.core.call;

import dev.switchboard.core.config.Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the DynamoDB client from settings: AWS defaults on AWS, a fixed endpoint and dummy keys locally. */
public final class DynamoClients {

    private DynamoClients() {
    }

    public static DynamoDbClient create(Settings settings) {
        return create(settings, java.util.List.of());
    }

    /** With SDK interceptors, e.g. to record which operations a piece of code performs. */
    public static DynamoDbClient create(Settings settings,
                                        java.util.List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        DynamoDbClientBuilder b = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> interceptors.forEach(c::addExecutionInterceptor));
        settings.dynamoDbEndpoint().ifPresent(endpoint -> b.endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                // DynamoDB Local accepts any key; these never leave the machine.
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))));
        return b.build();
    }
}
