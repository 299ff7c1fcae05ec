package dev.switchboard.relay.hold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The speech model is committed, not fetched: it must be the exact file its licence note names. */
class SileroModelFileTest {

    static final String SHA256 = "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f";

    @Test
    void theCommittedModelIsSileroVadV5() throws Exception {
        try (InputStream in = SileroModelFileTest.class.getResourceAsStream("/vad/silero_vad_v5.onnx")) {
            assertNotNull(in, "relay-service/src/main/resources/vad/silero_vad_v5.onnx is missing");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            assertEquals(SHA256, HexFormat.of().formatHex(digest));
        }
    }

    @Test
    void itShipsWithItsLicence() throws Exception {
        try (InputStream in = SileroModelFileTest.class.getResourceAsStream("/vad/LICENSE")) {
            assertNotNull(in, "the model's licence must ship beside it");
            String licence = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(licence.contains("MIT License") && licence.contains("Silero Team") && licence.contains(SHA256));
        }
    }
}
