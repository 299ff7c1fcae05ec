package dev.switchboard.core.agent;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A remote MCP server the model may call directly: the Realtime API connects to it, lists its tools
 * and calls them, so the relay only configures it and records what happens.
 *
 * @param label        the server's label for the model ({@code server_label})
 * @param url          its https URL (the Realtime API reaches it from OpenAI's side, so never localhost)
 * @param description  optional, for the model
 * @param allowedTools the tools the model may call; empty: all the server offers
 * @param headers      header name → the environment variable (or its {@code _SECRET_ARN}) holding the value
 */
public record McpServer(String label, String url, String description, List<String> allowedTools,
                        Map<String, String> headers, String requireApproval) {

    public McpServer {
        if (label == null || !label.matches("[a-zA-Z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("mcpServers: label must be 1-64 letters, digits, _ or -, got '" + label + "'");
        }
        URI uri = URI.create(url == null ? "" : url.trim());
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("mcpServers." + label + ".url must be an https URL the Realtime API can reach, got '"
                    + url + "'");
        }
        url = url.trim();
        description = description == null ? "" : description.trim();
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
        headers = HeaderVariables.checked(headers, "mcpServers." + label + ".headers");
        requireApproval = requireApproval == null || requireApproval.isBlank() ? "never" : requireApproval.trim();
        if (!requireApproval.equals("never")) {
            throw new IllegalArgumentException("mcpServers." + label + ".requireApproval: only 'never' is supported (nobody can"
                    + " approve a tool call in the middle of a phone call); narrow the tools with allowedTools instead");
        }
    }
}
