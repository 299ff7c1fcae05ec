package dev.switchboard.relay.call;

import dev.switchboard.core.call.Outcome;
import dev.switchboard.relay.callee.CalleeHost;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.realtime.RealtimeSender;

/** What the callee gate may do to its call, handed to the part of the call that does it. */
final class CalleeLink implements CalleeHost {

    private final LiveCall call;
    private final RealtimeSender realtime;

    CalleeLink(LiveCall call, RealtimeSender realtime) {
        this.call = call;
        this.realtime = realtime;
    }

    @Override
    public void autoRespond(boolean on) {
        if (call.live()) {
            realtime.send(ClientEvents.turnDetectionUpdate(on));
        }
    }

    @Override
    public void respond(String instructions) {
        call.responses().respond(instructions);
    }

    @Override
    public void voicemailHeard() {
        call.voicemailGreetingHeard();
    }

    @Override
    public void giveUp(Outcome outcome) {
        call.exits().hangUp(outcome);
    }
}
