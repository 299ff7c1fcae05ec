package dev.switchboard.relay.call;

import dev.switchboard.core.agent.Step;
import dev.switchboard.relay.flow.Flow;
import dev.switchboard.relay.keypad.Keypad;
import dev.switchboard.relay.session.RealtimeSession;
import dev.switchboard.relay.store.CallRecorder;
import dev.switchboard.relay.turn.Responses;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * A call moving through its agent's flow: a step completed by the model ({@code complete_step}), by a
 * menu key or by the number it collects leads to the next; each move reconfigures the model, the
 * keypad's menu and the record, tells the model, and starts the new step's collection.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class FlowSteps {

    private static final Logger LOG = Logger.getLogger(FlowSteps.class);

    private final String callSid;
    private final Flow flow;
    private final Keypad keypad;
    private final RealtimeSession realtime;
    private final BooleanSupplier autoRespond;
    private final CallRecorder recorder;
    private final Responses responses;

    /** {@code autoRespond}: whether the model answers turns on its own (a placed call's gate may say not yet). */
    FlowSteps(String callSid, Flow flow, Keypad keypad, RealtimeSession realtime, BooleanSupplier autoRespond,
              CallRecorder recorder, Responses responses) {
        this.callSid = callSid;
        this.flow = flow;
        this.keypad = keypad;
        this.realtime = realtime;
        this.autoRespond = autoRespond;
        this.recorder = recorder;
        this.responses = responses;
    }

    /** {@code complete_step}: the step in force is done, if the model is the one that ends it. */
    void complete() {
        if (!flow.completedByTool()) {
            return;
        }
        LOG.infof("call %s: step '%s' complete", callSid, flow.stepName());
        enter(flow.next()); // the tool's own follow-up response opens the next step
    }

    /** Moves the flow to {@code next} (null: the flow is over, the agent carries on as itself). */
    void enter(Step next) {
        flow.moveTo(next);
        keypad.menuChanged();
        realtime.send(flow.sessionUpdate(autoRespond.getAsBoolean()));
        recorder.step(callSid, flow.stepName());
        responses.tell("system", flow.announcement());
        startCollection();
    }

    /** The step's number collection, if it has one. */
    void startCollection() {
        flow.step().filter(s -> s.collect() != null).ifPresent(s -> keypad.collectFor(s.collect()));
    }
}
