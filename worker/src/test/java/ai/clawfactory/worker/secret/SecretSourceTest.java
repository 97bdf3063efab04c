package ai.clawfactory.worker.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.http.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {

    @TempDir
    Path dir;

    @Test
    void systemdCredentialsComeBeforeTheSecretsFolder() throws IOException {
        Path creds = Files.createDirectories(dir.resolve("creds"));
        Path folder = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(creds.resolve("hook"), "from-credential\n");
        Files.writeString(folder.resolve("hook"), "from-folder");
        Files.writeString(folder.resolve("other"), "only-in-folder\r\n");
        SecretSource s = new SecretSource(folder.toString(), Map.of("CREDENTIALS_DIRECTORY", creds.toString()));
        assertEquals("from-credential", s.read("hook"));
        assertEquals("only-in-folder", s.read("other"));
    }

    @Test
    void aMissingSecretIsAConfigurationErrorNamingWhereItWasLookedFor() {
        GatewayException e =
                assertThrows(GatewayException.class, () -> new SecretSource(dir.toString(), Map.of()).read("absent"));
        assertEquals(GatewayException.Category.CONFIGURATION, e.category());
        assertTrue(
                e.getMessage().contains("Secret 'absent' not found")
                        && e.getMessage().contains("SECRETS_DIR (" + dir),
                e.getMessage());
    }

    @Test
    void aNameThatIsNotASecretNameIsNeverReadAsAPath() throws IOException {
        Files.writeString(dir.resolve("outside"), "x");
        Path folder = Files.createDirectories(dir.resolve("secrets"));
        GatewayException e = assertThrows(
                GatewayException.class, () -> new SecretSource(folder.toString(), Map.of()).read("../outside"));
        assertFalse(e.getMessage().contains("x\n"));
        assertTrue(e.getMessage().contains("not a secret name"), e.getMessage());
    }

    @Test
    void theWorkersOwnCredentialsAreNeverStepSecretsEvenWhenTheirFilesAreThere() throws IOException {
        Path creds = Files.createDirectories(dir.resolve("creds"));
        Path folder = Files.createDirectories(dir.resolve("secrets"));
        for (String name :
                List.of("gateway-token", "temporal-api-key", "temporal-tls-client-key", "ledger-db-password")) {
            Files.writeString(creds.resolve(name), "worker-own-" + name);
            Files.writeString(folder.resolve(name), "worker-own-" + name);
            SecretSource s = new SecretSource(folder.toString(), Map.of("CREDENTIALS_DIRECTORY", creds.toString()));
            GatewayException e = assertThrows(GatewayException.class, () -> s.read(name), name);
            assertEquals(GatewayException.Category.CONFIGURATION, e.category());
            assertTrue(e.getMessage().contains("the worker's own"), e.getMessage());
            assertFalse(e.getMessage().contains("worker-own-"), e.getMessage());
        }
    }
}
