package dev.switchboard.relay.tool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.CustomTool;
import dev.switchboard.core.agent.Step;
import dev.switchboard.relay.customtool.RemoteTool;
import dev.switchboard.relay.customtool.ToolServers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every tool the relay knows, and the subset an agent profile enables. */
public final class ToolRegistry {

    private final Map<String, Tool> all = new LinkedHashMap<>();
    private final ToolServers servers;

    /** {@code servers}: where the profiles' own tools ({@code customTools}) are run. */
    public ToolRegistry(List<Tool> tools, ToolServers servers) {
        this.servers = servers;
        for (Tool t : tools) {
            if (all.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("two tools are named " + t.name());
            }
        }
    }

    /**
     * The tools of one call: the ones its agent lists, plus {@code transfer_call} when the agent has a
     * transfer directory, plus the profile's own tools. An unknown name is a configuration error.
     */
    public Map<String, Tool> forAgent(AgentProfile agent) {
        Map<String, Tool> tools = new LinkedHashMap<>();
        if (agent.transfer().enabled() && all.containsKey(TransferCallTool.NAME)) {
            tools.put(TransferCallTool.NAME, all.get(TransferCallTool.NAME));
        }
        for (String name : agent.tools()) {
            Tool t = all.get(name);
            if (t == null) {
                throw new IllegalArgumentException("agent '" + agent.name() + "' lists unknown tool '" + name
                        + "'; known tools: " + all.keySet());
            }
            tools.put(name, t);
        }
        for (CustomTool custom : agent.customTools()) {
            tools.put(custom.name(), new RemoteTool(custom, servers));
        }
        return tools;
    }

    /** The environment variables (signing secrets, headers) the profile's own tools and setup need that are not set. */
    public List<String> missingVariables(AgentProfile agent) {
        List<String> missing = new ArrayList<>(agent.customTools().stream().filter(t -> t.http() != null)
                .flatMap(t -> servers.missingVariables(t.http()).stream().map(m -> "customTools." + t.name() + "." + m)).toList());
        agent.mcpServers().forEach(m -> servers.missingVariables(m).forEach(v -> missing.add("mcpServers." + m.label() + "." + v)));
        if (agent.setup() != null) {
            servers.missingVariables(agent.setup().http()).forEach(m -> missing.add("setup." + m));
        }
        return missing;
    }

    /** The agent's MCP servers, as the session's {@code mcp} tools. */
    public List<ObjectNode> mcpTools(AgentProfile agent) {
        return servers.mcpTools(agent);
    }

    /** The tools of a warm transfer's briefing call: only the person's answer. */
    public Map<String, Tool> forBriefing() {
        Map<String, Tool> tools = new LinkedHashMap<>();
        if (all.containsKey(AnswerTransferTool.NAME)) {
            tools.put(AnswerTransferTool.NAME, all.get(AnswerTransferTool.NAME));
        }
        return tools;
    }

    /** The tools of one call while a flow step is in force: the agent's, the step's, and complete_step if the model ends it. */
    public Map<String, Tool> forStep(AgentProfile agent, Step step) {
        Map<String, Tool> tools = forAgent(agent);
        if (step == null) {
            return tools;
        }
        for (String name : step.tools()) {
            Tool t = all.get(name);
            if (t == null) {
                throw new IllegalArgumentException("step '" + step.name() + "' of agent '" + agent.name()
                        + "' lists unknown tool '" + name + "'; known tools: " + all.keySet());
            }
            tools.put(name, t);
        }
        if (step.completion().equals("tool") && all.containsKey(CompleteStepTool.NAME)) {
            tools.put(CompleteStepTool.NAME, all.get(CompleteStepTool.NAME));
        }
        return tools;
    }
}
