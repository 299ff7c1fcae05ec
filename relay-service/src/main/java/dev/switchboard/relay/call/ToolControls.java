package dev.switchboard.relay.call;

import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.relay.keypad.DigitSpec;
import dev.switchboard.relay.tool.CallControls;
import dev.switchboard.relay.turn.Dialogue;
import java.util.function.LongSupplier;

/** What the tools may do to their call, handed to the part of the call that does it. */
final class ToolControls implements CallControls {

    private final LiveCall call;
    private final LongSupplier audioBytesToModel;

    ToolControls(LiveCall call, LongSupplier audioBytesToModel) {
        this.call = call;
        this.audioBytesToModel = audioBytesToModel;
    }

    @Override
    public void transferAfterSpeaking(String targetName, TransferTarget target, String reason, String summary) {
        call.lastWords().afterNextWords(() -> call.exits().transfer(targetName, target, reason, summary));
    }

    @Override
    public boolean startWarmTransfer(String targetName, TransferTarget target, String reason, String summary) {
        return call.warm().start(targetName, target, reason, summary);
    }

    @Override
    public void answerTransfer(boolean accepted, String reason) {
        call.warm().answer(accepted, reason);
    }

    @Override
    public void hangUpAfterSpeaking(String reason) {
        call.lastWords().afterNextWords(() -> call.exits().hangUp(reason));
    }

    @Override
    public void pressKeys(String keys, byte[] tones, Runnable whenPlayed) {
        call.callee().keysSent(keys);
        call.audio().playTones(tones, whenPlayed);
    }

    @Override
    public void collect(DigitSpec spec) {
        call.keypad().collect(spec, false);
    }

    @Override
    public void holdAfterThisTurn(String reason) {
        call.hold().afterThisTurn(reason);
    }

    @Override
    public void continueHold(String reason, boolean music) {
        call.hold().continueHold(reason, music, audioBytesToModel.getAsLong());
    }

    @Override
    public void sayNow(String text) {
        call.responses().respond(Dialogue.sayExactly(text));
    }

    @Override
    public void completeStep(String result) {
        call.steps().complete();
    }
}
