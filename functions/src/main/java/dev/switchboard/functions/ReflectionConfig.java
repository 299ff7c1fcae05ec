package dev.switchboard.functions;

import dev.switchboard.core.agent.AgentProfile;
import dev.switchboard.core.agent.CalleeSettings;
import dev.switchboard.core.agent.CollectSettings;
import dev.switchboard.core.agent.CustomTool;
import dev.switchboard.core.agent.FallbackSettings;
import dev.switchboard.core.agent.HoldSettings;
import dev.switchboard.core.agent.HttpToolTarget;
import dev.switchboard.core.agent.KeypadSettings;
import dev.switchboard.core.agent.LambdaToolTarget;
import dev.switchboard.core.agent.McpServer;
import dev.switchboard.core.agent.Menu;
import dev.switchboard.core.agent.MenuOption;
import dev.switchboard.core.agent.SetupSettings;
import dev.switchboard.core.agent.Step;
import dev.switchboard.core.agent.TransferSettings;
import dev.switchboard.core.agent.TransferTarget;
import dev.switchboard.core.agent.VoicemailSettings;
import dev.switchboard.core.agent.WebhookSettings;
import dev.switchboard.core.control.CallActionRequest;
import dev.switchboard.core.control.CallActionResult;
import dev.switchboard.core.outbound.OutboundRequest;
import dev.switchboard.core.outbound.OutboundResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads and writes by reflection in the Lambda handlers: a native image must keep
 * their constructors and accessors. The handlers' own JSON (call actions, outbound calls) and the
 * agent profiles, read from YAML at start, with every record they contain; {@code
 * ReflectionConfigTest} fails when a new record is reachable from these and missing here. (The API
 * Gateway event types are registered by Quarkus.)
 */
@RegisterForReflection(targets = {CallActionRequest.class, CallActionResult.class, OutboundRequest.class, OutboundResult.class,
        AgentProfile.class, CalleeSettings.class, CollectSettings.class, HoldSettings.class, KeypadSettings.class, Menu.class, MenuOption.class,
        Step.class, TransferSettings.class, TransferTarget.class, VoicemailSettings.class, WebhookSettings.class, FallbackSettings.class,
        CustomTool.class, HttpToolTarget.class, LambdaToolTarget.class, SetupSettings.class, McpServer.class})
final class ReflectionConfig {

    private ReflectionConfig() {
    }
}
