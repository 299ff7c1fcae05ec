package dev.switchboard.core.setup;

import dev.switchboard.core.agent.AgentProfile;
import java.util.Map;

/** Asks an agent's setup webhook about a call that is coming in; never longer than its timeout. */
public interface CallSetup {

    /** The answer, or {@link SetupAnswer#NONE} when the agent has no setup, or it failed or ran out of time. */
    SetupAnswer ask(AgentProfile agent, Map<String, String> call);

    CallSetup NONE = (agent, call) -> SetupAnswer.NONE;
}
