package dev.switchboard.functions;

import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads and writes by reflection in the Lambda handlers: a native image must keep
 * their constructors and accessors. (The API Gateway event types are registered by Quarkus.)
 */
@RegisterForReflection(targets = {CallActionRequest.class, CallActionResult.class,
        dev.switchboard.core.outbound.OutboundRequest.class, dev.switchboard.core.outbound.OutboundResult.class})
final class ReflectionConfig {

    private ReflectionConfig() {
    }
}
