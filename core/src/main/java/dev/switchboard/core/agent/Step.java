package dev.switchboard.core.agent;

import java.util.List;

/**
 * One step of a flow (consent, then a menu, then the main agent): its own instructions and tools, an
 * optional menu or number to collect, and how it ends: {@code tool} (the model calls
 * {@code complete_step}), {@code collected} (the number was collected), or {@code menu} (a menu key
 * with action {@code step} moves on). {@code next} names the step that follows; empty ends the flow
 * (the agent carries on with its own instructions).
 */
public record Step(String name, String instructions, List<String> tools, Menu menu, CollectSettings collect,
                   String completion, String next) {

    public Step {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a step needs a name");
        }
        instructions = instructions == null ? "" : instructions;
        tools = tools == null ? List.of() : List.copyOf(tools);
        completion = completion == null ? (collect != null ? "collected" : menu != null ? "menu" : "tool") : completion;
        if (!List.of("tool", "collected", "menu").contains(completion)) {
            throw new IllegalArgumentException("step '" + name + "': completion must be tool, collected or menu");
        }
        if (completion.equals("collected") && collect == null) {
            throw new IllegalArgumentException("step '" + name + "' completes when collected but collects nothing");
        }
        if (completion.equals("menu") && menu == null) {
            throw new IllegalArgumentException("step '" + name + "' completes by menu but has no menu");
        }
        next = next == null ? "" : next;
    }
}
