package dev.switchboard.relay.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.relay.call.CallSession.State;
import dev.switchboard.relay.events.CallEvents;
import dev.switchboard.relay.events.Redaction;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.tool.SendDtmfTool;
import dev.switchboard.relay.tool.CallControls;
import dev.switchboard.relay.tool.ToolCalls;
import dev.switchboard.relay.tool.ToolContext;
import java.util.concurrent.Executor;

/**
 * The model's function calls on one call: each goes to the tool of that name in force (the step's),
 * its output goes back as one {@code function_call_output}, and the model continues once every call of
 * the response has answered, so tools called together (a tool server's, tones playing) run side by side
 * and are answered together. A tool that asks for hold instead ends the agent's turn.
 *
 * <p>One per call, used on the call's event loop only.
 */
final class FunctionCalls {

    private final CallSession session;
    private final CallServices services;
    private final LiveCall call;
    private final CallControls controls;
    private final Executor callLoop;
    /** Calls answered later whose output the model still waits for. */
    private int inFlight;
    /** Every call since the last follow-up pressed keys: in a phone menu, the next prompt is awaited instead. */
    private boolean keysOnly = true;

    FunctionCalls(CallSession session, CallServices services, LiveCall call, CallControls controls, Executor callLoop) {
        this.session = session;
        this.services = services;
        this.call = call;
        this.controls = controls;
        this.callLoop = callLoop;
    }

    /** {@code response.function_call_arguments.done}. */
    void run(JsonNode e) {
        String callId = e.path("call_id").asText("");
        String name = e.path("name").asText("");
        String arguments = e.path("arguments").asText("");
        keysOnly &= name.equals(SendDtmfTool.NAME);
        ToolContext context = new ToolContext(session.callSid(), call.agent(), services.clock(), controls,
                later -> answered(callId, later), callId, call.events().toolView(call.flow().stepName()), callLoop);
        call.events().emit("tool_call", CallEvents.fields().put("name", name).put("call_id", callId)
                .set("arguments", Redaction.of(arguments)));
        String output = ToolCalls.run(call.flow().tools(), name, arguments, context);
        if (output != null) {
            call.events().emit("tool_result", CallEvents.fields().put("name", name).put("call_id", callId)
                    .set("output", Redaction.of(output)));
        }
        if (output == null) {
            inFlight++;
            return; // the tool answers later, through answered
        }
        call.realtime().send(ClientEvents.functionCallOutput(callId, output));
        call.conversation().add("system", "You called " + name + " " + (arguments.isEmpty() ? "{}" : arguments)
                + "; it returned " + output);
        if (call.hold().pending()) {
            if (!call.responses().active()) {
                session.enterHold(); // the agent says nothing more: hold now
            }
            return;
        }
        followUpOnceAllAnswered();
    }

    /** A new session: calls of the old one cannot be answered in it, so none is awaited. */
    void sessionReplaced() {
        keysOnly = true;
        inFlight = 0;
    }

    /** A tool that finished later: its output, then the model continues once nothing else is awaited. */
    private void answered(String callId, JsonNode result) {
        inFlight--;
        if (session.state() != State.ACTIVE) {
            return;
        }
        call.realtime().send(ClientEvents.functionCallOutput(callId, result.toString()));
        call.conversation().add("system", "A tool call (" + callId + ") returned " + result);
        call.events().emit("tool_result", CallEvents.fields().put("call_id", callId).set("output", Redaction.of(result.toString())));
        followUpOnceAllAnswered();
    }

    private void followUpOnceAllAnswered() {
        if (inFlight > 0) {
            return;
        }
        boolean awaitPrompt = keysOnly && call.callee().navigatingMenu();
        keysOnly = true;
        if (!awaitPrompt) {
            call.responses().followUp();
        } // keys pressed in a phone menu: the menu speaks next, and its prompt asks the model again
    }
}
