package dev.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.switchboard.core.outbound.OutboundCalls;
import dev.switchboard.core.outbound.OutboundRequest;
import dev.switchboard.core.outbound.OutboundResult;
import jakarta.inject.Named;

/**
 * Lambda handler {@code outbound-call}, invoked with
 * {@code {"to":"+1...","from":"+1...","agent":"name","instructions":"...","context":{...},"machineDetection":false}}.
 * Answers {@code {"ok":true,"callSid":"CA..."}} or {@code {"ok":false,"message":"why"}}.
 */
@Named("outbound-call")
public class OutboundCallHandler implements RequestHandler<OutboundRequest, OutboundResult> {

    private final OutboundCalls outbound;

    public OutboundCallHandler(OutboundCalls outbound) {
        this.outbound = outbound;
    }

    @Override
    public OutboundResult handleRequest(OutboundRequest request, Context context) {
        return outbound.place(request);
    }
}
