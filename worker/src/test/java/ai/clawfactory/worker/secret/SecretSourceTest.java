package ai.clawfactory.worker.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.config.SecretsConfig;
import ai.clawfactory.worker.http.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretSourceTest {

    static final List<String> WORKER_CREDENTIALS =
            List.of("gateway-token", "temporal-api-key", "temporal-tls-client-key", "ledger-db-password");

    @TempDir
    Path dir;

    private SecretSource source(Path folder, Path creds, String... allowed) {
        return new SecretSource(
                folder == null ? null : folder.toString(),
                Set.of(allowed),
                creds == null ? Map.of() : Map.of("CREDENTIALS_DIRECTORY", creds.toString()));
    }

    private static GatewayException refused(SecretSource s, String name) {
        GatewayException e = assertThrows(GatewayException.class, () -> s.read(name), name);
        assertEquals(GatewayException.Category.CONFIGURATION, e.category());
        return e;
    }

    @Test
    void stepSecretCredentialsComeBeforeTheSecretsFolder() throws IOException {
        Path creds = Files.createDirectories(dir.resolve("creds"));
        Path folder = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(creds.resolve("step-secret.hook"), "from-credential\n");
        Files.writeString(folder.resolve("hook"), "from-folder");
        Files.writeString(folder.resolve("other"), "only-in-folder\r\n");
        SecretSource s = source(folder, creds, "hook", "other");
        assertEquals("from-credential", s.read("hook"));
        assertEquals("only-in-folder", s.read("other"));
    }

    @Test
    void aMissingSecretIsAConfigurationErrorNamingWhereItWasLookedFor() {
        GatewayException e = refused(source(dir, null, "absent"), "absent");
        assertTrue(
                e.getMessage().contains("Secret 'absent' not found")
                        && e.getMessage().contains("step-secret.absent")
                        && e.getMessage().contains("SECRETS_DIR (" + dir),
                e.getMessage());
    }

    @Test
    void aNameThatIsNotASecretNameIsNeverReadAsAPath() throws IOException {
        Files.writeString(dir.resolve("outside"), "x");
        Path folder = Files.createDirectories(dir.resolve("secrets"));
        GatewayException e = refused(source(folder, null, "../outside"), "../outside");
        assertFalse(e.getMessage().contains("x\n"));
        assertTrue(e.getMessage().contains("not a secret name"), e.getMessage());
    }

    @Test
    void theWorkersOwnCredentialsAreNeverStepSecretsEvenWhenTheirFilesAreThere() throws IOException {
        Path creds = Files.createDirectories(dir.resolve("creds"));
        Path folder = Files.createDirectories(dir.resolve("secrets"));
        for (String name : WORKER_CREDENTIALS) {
            for (String file : List.of(name, "step-secret." + name)) {
                Files.writeString(creds.resolve(file), "worker-own-" + name);
            }
            Files.writeString(folder.resolve(name), "worker-own-" + name);
            for (String asked : List.of(name, name.toUpperCase())) {
                // Listed or not: the list cannot open them either (SecretsConfig refuses such a list at start).
                GatewayException e = refused(source(folder, creds, asked), asked);
                assertTrue(e.getMessage().contains("the worker's own"), e.getMessage());
                assertFalse(e.getMessage().contains("worker-own-"), e.getMessage());
            }
        }
    }

    @Test
    void aSecretTheOperatorDidNotListIsRefusedNamingTheSettingThoughItsFileIsThere() throws IOException {
        Path creds = Files.createDirectories(dir.resolve("creds"));
        Files.writeString(creds.resolve("step-secret.hook"), "value");
        for (SecretSource s : List.of(source(null, creds), source(null, creds, "other"))) {
            GatewayException e = refused(s, "hook");
            assertTrue(e.getMessage().contains("not in STEP_SECRETS"), e.getMessage());
            assertTrue(e.getMessage().contains("STEP_SECRETS=hook"), e.getMessage());
        }
    }

    @Test
    void aStepSecretLoadedUnderItsOldBareNameSaysHowToRenameIt() throws IOException {
        Path creds = Files.createDirectories(dir.resolve("creds"));
        Files.writeString(creds.resolve("hook"), "old-layout-value");
        GatewayException e = refused(source(null, creds, "hook"), "hook");
        assertTrue(
                e.getMessage().contains("Rename LoadCredential=hook:… to LoadCredential=step-secret.hook:…"),
                e.getMessage());
        assertFalse(e.getMessage().contains("old-layout-value"), e.getMessage());
    }

    @Test
    void stepSecretsListingAWorkerCredentialOrABadNameStopsStartUp() {
        for (String name : WORKER_CREDENTIALS) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> new SecretsConfig(null, "hook, " + name));
            assertTrue(e.getMessage().startsWith("secrets.names (STEP_SECRETS) lists '" + name + "'"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new SecretsConfig(null, "hook,../x"));
        assertEquals(Set.of("a", "b-2"), new SecretsConfig(null, " a, b-2 ,,").allowed());
        assertEquals(Set.of(), new SecretsConfig(null, null).allowed());
    }

    @Test
    void everyCredentialTheWorkersUnitLoadsIsEitherAStepSecretOrRefusedAsTheWorkersOwn() throws IOException {
        Path unit = Path.of(System.getProperty("basedir", "."))
                .resolve("../systemd/clawfactory-temporal-worker.service")
                .normalize();
        Matcher m = Pattern.compile("(?m)^#?\\s*LoadCredential=([^:\\s]+):").matcher(Files.readString(unit));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertTrue(names.contains("gateway-token"), "the scan sees the unit's credentials: " + names);
        for (String name : names) {
            assertTrue(
                    name.startsWith(SecretSource.CREDENTIAL_PREFIX) || SecretsConfig.isWorkerCredential(name),
                    name + " is loaded by the worker's unit but neither a step secret nor refused as the worker's own");
        }
        assertEquals(Set.copyOf(WORKER_CREDENTIALS), SecretsConfig.WORKER_CREDENTIALS);
        assertTrue(SecretsConfig.isWorkerCredential(ai.clawfactory.worker.gateway.TokenSource.CREDENTIAL));
    }
}
