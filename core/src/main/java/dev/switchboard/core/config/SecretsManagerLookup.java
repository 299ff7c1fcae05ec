package dev.switchboard.core.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets come from AWS Secrets Manager on AWS: for {@code OPENAI_API_KEY}, {@code TWILIO_AUTH_TOKEN},
 * {@code RELAY_INTERNAL_TOKEN}, a webhook signing key, or any other variable, a variable
 * {@code <NAME>_SECRET_ARN} names the secret, which is read once, when first needed. The value itself never sits in the environment, the template or a log. A variable
 * set directly (local runs, tests) wins.
 */
public final class SecretsManagerLookup {

    public static final Set<String> SECRETS = Set.of("OPENAI_API_KEY", "TWILIO_AUTH_TOKEN", "RELAY_INTERNAL_TOKEN");

    private SecretsManagerLookup() {
    }

    public static Function<String, Optional<String>> wrap(Function<String, Optional<String>> lookup) {
        Map<String, String> cache = new ConcurrentHashMap<>();
        SecretsManagerClient[] client = new SecretsManagerClient[1];
        return name -> {
            Optional<String> direct = lookup.apply(name).filter(v -> !v.isBlank());
            if (direct.isPresent() || name.endsWith("_SECRET_ARN")) {
                return direct;
            }
            Optional<String> arn = lookup.apply(name + "_SECRET_ARN").filter(v -> !v.isBlank());
            if (arn.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(cache.computeIfAbsent(name, n -> {
                synchronized (client) {
                    if (client[0] == null) {
                        client[0] = SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
                    }
                }
                try {
                    return client[0].getSecretValue(b -> b.secretId(arn.get())).secretString();
                } catch (RuntimeException e) {
                    // the message names the variable and the ARN, never a value
                    throw new IllegalStateException("cannot read " + n + " from Secrets Manager secret " + arn.get()
                            + ": " + e.getMessage(), e);
                }
            }));
        };
    }
}
