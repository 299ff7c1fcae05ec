package dev.switchboard.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.outbound.OutboundRequest;
import dev.switchboard.core.outbound.OutboundResult;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A native image loses what is not registered: every project record Jackson can reach must be. */
class ReflectionConfigTest {

    @Test
    void everyRecordJacksonReachesFromTheHandlersIsRegistered() {
        Set<String> reachable = new TreeSet<>();
        Deque<Type> todo = new ArrayDeque<>(java.util.List.of(AgentProfile.class, CallActionRequest.class,
                CallActionResult.class, OutboundRequest.class, OutboundResult.class));
        while (!todo.isEmpty()) {
            Type type = todo.pop();
            if (type instanceof ParameterizedType p) {
                todo.addAll(java.util.List.of(p.getActualTypeArguments()));
                todo.push(p.getRawType());
            } else if (type instanceof Class<?> c && c.getName().startsWith("dev.switchboard.") && reachable.add(c.getName())) {
                if (c.isRecord()) {
                    for (RecordComponent component : c.getRecordComponents()) {
                        todo.push(component.getGenericType());
                    }
                }
            }
        }
        Set<String> registered = new TreeSet<>();
        for (Class<?> c : ReflectionConfig.class.getAnnotation(RegisterForReflection.class).targets()) {
            registered.add(c.getName());
        }
        reachable.removeIf(name -> {
            try {
                return Class.forName(name).isEnum(); // enums need no constructor or accessor
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(reachable, registered);
    }
}
