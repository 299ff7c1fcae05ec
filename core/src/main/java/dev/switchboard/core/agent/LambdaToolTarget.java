package dev.switchboard.core.agent;

/**
 * Where a profile's {@code lambda} tool is run: an AWS Lambda function invoked with the tool call as
 * its event (no public endpoint; the relay's IAM role decides what it may invoke).
 *
 * @param function a function name, a name with a qualifier ({@code name:alias}), or a function ARN
 */
public record LambdaToolTarget(String function) {

    public LambdaToolTarget {
        if (function == null || !function.trim().matches("(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:)?[a-zA-Z0-9-_]{1,64}(:[a-zA-Z0-9$_-]+)?")) {
            throw new IllegalArgumentException("lambda.function must be a function name, name:qualifier or function ARN, got '"
                    + function + "'");
        }
        function = function.trim();
    }
}
