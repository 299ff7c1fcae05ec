package dev.switchboard.relay.flow;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.Menu;
import dev.switchboard.core.agent.Step;
import dev.switchboard.core.control.WarmTransfers;
import dev.switchboard.relay.realtime.ClientEvents;
import dev.switchboard.relay.tool.Tool;
import dev.switchboard.relay.tool.ToolRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the call is in its agent's flow: the step in force (none once the flow is over, or for an
 * agent without steps), and what that decides: the model's instructions (with the call's task and the
 * variables its setup webhook gave), the tools it may call and the keypad menu in force.
 *
 * <p>One per call, used on the call's event loop only.
 */
public final class Flow {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private final AgentProfile agent;
    private final ToolRegistry registry;
    private final String task;
    private final Map<String, String> variables;
    private final boolean briefing;
    private Step step;
    private Map<String, Tool> tools;

    /**
     * Starts at the step the record names (a call resumed elsewhere), else at the first step. The briefing
     * call of a warm transfer has no steps and one tool: its task is the briefing.
     */
    public Flow(AgentProfile agent, ToolRegistry registry, Optional<String> savedStep, String task, Map<String, String> variables) {
        this.agent = agent;
        this.registry = registry;
        this.task = task;
        this.variables = variables;
        this.briefing = variables.containsKey(WarmTransfers.PARENT);
        this.step = briefing ? null : savedStep.flatMap(agent::step).orElse(agent.steps().isEmpty() ? null : agent.steps().get(0));
        this.tools = briefing ? registry.forBriefing() : registry.forStep(agent, step);
    }

    /** The briefing call of a warm transfer. */
    public boolean briefing() {
        return briefing;
    }

    /** Moves to {@code next} (null: the flow is over, the agent carries on as itself). */
    public void moveTo(Step next) {
        step = next;
        tools = registry.forStep(agent, step);
    }

    /** The step after the current one, if the flow goes on. */
    public Step next() {
        return step == null || step.next().isEmpty() ? null : agent.step(step.next()).orElse(null);
    }

    public Optional<Step> step() {
        return Optional.ofNullable(step);
    }

    /** The step's name for the record, "" outside a flow. */
    public String stepName() {
        return step == null ? "" : step.name();
    }

    /** The step is one the model completes with {@code complete_step}. */
    public boolean completedByTool() {
        return step != null && step.completion().equals("tool");
    }

    /** The step's menu, or the agent's outside a flow; null for none. */
    public Menu menu() {
        return step != null ? step.menu() : agent.menu();
    }

    public Map<String, Tool> tools() {
        return tools;
    }

    /**
     * The session.update that configures the model for the step in force; {@code autoRespond}: the model
     * answers each turn on its own (off while the callee of a placed call is not yet known).
     */
    public String sessionUpdate(boolean autoRespond) {
        return ClientEvents.sessionUpdate(agent, tools.values(), instructions(), registry.mcpTools(agent), autoRespond);
    }

    public String task() {
        return task;
    }

    public String instructions() {
        String own = render(agent.instructions());
        String base = task.isEmpty() ? own : own + "\n\nYour task on this call: " + task;
        return step == null ? base : base + "\n\nCurrent step: " + step.name() + ". " + render(step.instructions());
    }

    /** The agent's greeting with this call's variables filled in. */
    public String greeting() {
        return render(agent.greeting());
    }

    /** {@code {{name}}} replaced by the call's variable (from its setup webhook); one it lacks by nothing. */
    String render(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), "")));
        }
        return m.appendTail(out).toString();
    }

    /** What the model is told when the step changes. */
    public String announcement() {
        return step == null ? "The flow is complete; carry on as yourself."
                : "Now in step '" + step.name() + "'. " + step.instructions();
    }
}
