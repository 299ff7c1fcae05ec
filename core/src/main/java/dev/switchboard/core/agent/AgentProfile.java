package dev.switchboard.core.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One agent: what it says and how it sounds. Loaded from a YAML or JSON file in {@code AGENTS_DIR};
 * unset fields take the defaults below.
 *
 * @param name        the profile's id, used in outbound requests and on the call record
 * @param numbers     called numbers (E.164) this agent answers; empty means "only by name or as default"
 * @param instructions system instructions for the model
 * @param greeting    what the agent says first on an inbound call; empty means wait for the caller
 * @param voice       a Realtime voice name
 * @param timeZone    the agent's zone, for the clock tool
 * @param tools       names of built-in tools this agent may call
 * @param transcriptionModel model used to transcribe the caller, empty to disable caller transcripts
 * @param transfer    where calls may be handed to a human; the {@code transfer_call} tool appears when set
 * @param keypad      how keypad input is gathered before the model hears it
 * @param menu        a keypad menu that routes keys without the model; null for none
 * @param webhook     where call and keypad events are posted; null for none
 * @param steps       an ordered flow (consent, menu, main agent...); the call starts at the first
 * @param outboundSpeaksFirst on calls the agent places: greet at once instead of waiting for the callee
 * @param hold        how the agent waits on hold: automatic entry, the longest wait, repeated announcements
 * @param voicemail   what the agent does when an answering machine picks up a call it placed
 * @param maxCallMinutes the longest a call may last, hold included; the agent then ends it
 * @param fallback    what the caller hears (and where they go) when the agent cannot take the call
 * @param customTools the team's own tools (run over https), next to the built-ins in {@code tools}
 * @param setup       an optional webhook asked about each inbound call before it is answered
 * @param mcpServers  remote MCP servers the model calls directly (through the Realtime API)
 * @param callee      on calls it places: not talking over greetings, menus and screeners, and what to do with each
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AgentProfile(
        String name,
        List<String> numbers,
        String instructions,
        String greeting,
        String voice,
        String timeZone,
        List<String> tools,
        String transcriptionModel,
        TransferSettings transfer,
        KeypadSettings keypad,
        Menu menu,
        WebhookSettings webhook,
        List<Step> steps,
        boolean outboundSpeaksFirst,
        HoldSettings hold,
        VoicemailSettings voicemail,
        double maxCallMinutes,
        FallbackSettings fallback,
        List<CustomTool> customTools,
        SetupSettings setup,
        List<McpServer> mcpServers,
        CalleeSettings callee) {

    public AgentProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an agent profile needs a name");
        }
        numbers = numbers == null ? List.of() : List.copyOf(numbers);
        instructions = instructions == null ? "You are a helpful phone agent. Keep answers short." : instructions;
        greeting = greeting == null ? "" : greeting;
        voice = voice == null || voice.isBlank() ? "marin" : voice;
        timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
        ZoneId.of(timeZone); // fail at load time, not mid-call
        tools = tools == null ? List.of() : List.copyOf(tools);
        transcriptionModel = transcriptionModel == null ? "gpt-4o-mini-transcribe" : transcriptionModel;
        transfer = transfer == null ? TransferSettings.NONE : transfer;
        keypad = keypad == null ? KeypadSettings.DEFAULT : keypad;
        steps = steps == null ? List.of() : List.copyOf(steps);
        hold = hold == null ? HoldSettings.DEFAULT : hold;
        voicemail = voicemail == null ? VoicemailSettings.DEFAULT : voicemail;
        fallback = fallback == null ? FallbackSettings.DEFAULT : fallback;
        customTools = customTools == null ? List.of() : List.copyOf(customTools);
        mcpServers = mcpServers == null ? List.of() : List.copyOf(mcpServers);
        callee = callee == null ? CalleeSettings.DEFAULT : callee;
        Set<String> toolNames = new HashSet<>();
        for (CustomTool t : customTools) {
            if (!toolNames.add(t.name())) {
                throw new IllegalArgumentException("customTools: two tools are named '" + t.name() + "'");
            }
        }
        maxCallMinutes = maxCallMinutes <= 0 ? 120 : maxCallMinutes;
        if (maxCallMinutes > 240) {
            throw new IllegalArgumentException("maxCallMinutes must be at most 240 (Twilio ends calls after 4 hours)");
        }
        checkTransferTargets(menu, "menu", transfer);
        Set<String> stepNames = new HashSet<>();
        for (Step s : steps) {
            if (!stepNames.add(s.name())) {
                throw new IllegalArgumentException("agent '" + name + "' has two steps named '" + s.name() + "'");
            }
        }
        for (Step s : steps) {
            if (!s.next().isEmpty() && !stepNames.contains(s.next())) {
                throw new IllegalArgumentException("step '" + s.name() + "' goes to unknown step '" + s.next() + "'");
            }
            checkTransferTargets(s.menu(), "step '" + s.name() + "' menu", transfer);
            if (s.menu() != null) {
                s.menu().options().forEach((key, o) -> {
                    if (o.action().equals("step") && !stepNames.contains(o.target())) {
                        throw new IllegalArgumentException("step '" + s.name() + "' key " + key + " goes to unknown step '" + o.target() + "'");
                    }
                });
            }
        }
    }

    /** A menu key that transfers must name a target of the directory: found at load time, not when pressed. */
    private static void checkTransferTargets(Menu menu, String where, TransferSettings transfer) {
        if (menu == null) {
            return;
        }
        menu.options().forEach((key, o) -> {
            if (o.action().equals("transfer") && transfer.resolve(o.target()).isEmpty()) {
                throw new IllegalArgumentException(where + " key " + key + " transfers to '" + o.target()
                        + "', which is not in transfer.targets");
            }
        });
    }

    public Optional<Step> step(String stepName) {
        return steps.stream().filter(s -> s.name().equals(stepName)).findFirst();
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }
}
