package dev.switchboard.core.agent;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mistake in a profile stops the load with a sentence naming the file and the field. */
class ProfileValidationTest {

    static String load(Path dir, String file, String yaml) throws IOException {
        Files.writeString(dir.resolve(file), yaml);
        return assertThrows(IllegalArgumentException.class, () -> AgentProfiles.load(Optional.of(dir.toString()))).getMessage();
    }

    @Test
    void aMisspelledFieldNamesTheFileAndTheField(@TempDir Path dir) throws IOException {
        String message = load(dir, "front-desk.yaml", "name: front-desk\ninstructions: Be brief.\ngreting: Hello\n");
        assertTrue(message.contains("front-desk.yaml") && message.contains("greting"), message);
    }

    @Test
    void aMenuKeyThatTransfersOutsideTheDirectoryIsRefused(@TempDir Path dir) throws IOException {
        String message = load(dir, "menu.yaml", """
                name: menu
                instructions: Route the caller.
                transfer:
                  targets:
                    sales: { number: "+15550100000", description: sales }
                menu:
                  options:
                    "1": { action: transfer, target: sales }
                    "2": { action: transfer, target: billing }
                """);
        assertTrue(message.contains("menu.yaml") && message.contains("key 2") && message.contains("'billing'"), message);
    }

    @Test
    void aStepMenuIsCheckedToo(@TempDir Path dir) throws IOException {
        String message = load(dir, "flow.yaml", """
                name: flow
                instructions: Run the flow.
                steps:
                  - name: menu
                    instructions: Keys only.
                    menu:
                      options:
                        "0": { action: transfer, target: desk }
                """);
        assertTrue(message.contains("step 'menu' menu key 0") && message.contains("'desk'"), message);
    }

    @Test
    void anMcpServerMustBeReachableOverHttpsAndNeedNoApproval(@TempDir Path dir) throws IOException {
        String local = load(dir, "mcp.yaml", "name: mcp\ninstructions: Help.\nmcpServers:\n  - { label: crm, url: http://localhost:9000/mcp }\n");
        assertTrue(local.contains("mcp.yaml") && local.contains("mcpServers.crm.url"), local);
        Files.delete(dir.resolve("mcp.yaml"));
        String approval = load(dir, "mcp2.yaml",
                "name: mcp\ninstructions: Help.\nmcpServers:\n  - { label: crm, url: https://mcp.example.com, requireApproval: always }\n");
        assertTrue(approval.contains("requireApproval"), approval);
    }
}
