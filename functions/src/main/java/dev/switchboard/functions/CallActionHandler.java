package dev.switchboard.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.control.CallActions;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

/**
 * Lambda handler {@code call-action}, invoked directly with
 * {@code {"callSid":"CA...","action":"transfer|hangup|say","target":"support","text":"...","reason":"..."}}.
 * Works on any live call, whichever relay task holds it. The answer says what was done or why not.
 */
@Named("call-action")
public class CallActionHandler implements RequestHandler<CallActionRequest, CallActionResult> {

    private static final Logger LOG = Logger.getLogger(CallActionHandler.class);

    private final CallActions actions;

    public CallActionHandler(CallActions actions) {
        this.actions = actions;
    }

    @Override
    public CallActionResult handleRequest(CallActionRequest request, Context context) {
        CallActionResult result = actions.handle(request);
        LOG.infof("call-action %s on %s: %s (%s)", result.action(), result.callSid(), result.ok() ? "done" : "refused", result.message());
        return result;
    }
}
