package ai.clawfactory.core.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalClientSettingsTest {

    @TempDir
    Path dir;

    /** No home config file leaks in from the machine running the tests. */
    private Map<String, String> env(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("TEMPORAL_CONFIG_FILE", dir.resolve("absent.toml").toString());
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return env;
    }

    @Test
    void withNothingSetUsesTheDefaultsWithoutTls() {
        var s = TemporalClientSettings.load(env(), "127.0.0.1:7233", "default");
        assertEquals("127.0.0.1:7233", s.address());
        assertEquals("default", s.namespace());
        assertFalse(s.tls());
        assertFalse(s.hasApiKey());
        assertEquals("127.0.0.1:7233 (namespace default)", s.describe());
        assertEquals(null, s.stubsOptions().build().getSslContext());
    }

    @Test
    void aProfileFromTheTomlFileIsUsedAndVariablesOverrideIt() throws Exception {
        Path toml = dir.resolve("temporal.toml");
        Files.writeString(toml, """
                [profile.default]
                address = "default.example:7233"
                [profile.cloud]
                address = "ns.acct.tmprl.cloud:7233"
                namespace = "ns.acct"
                api_key = "from-file"
                """);
        var s = TemporalClientSettings.load(
                env("TEMPORAL_CONFIG_FILE", toml.toString(), "TEMPORAL_PROFILE", "cloud"), "127.0.0.1:7233", "default");
        assertEquals("ns.acct.tmprl.cloud:7233", s.address());
        assertEquals("ns.acct", s.namespace());
        assertTrue(s.hasApiKey());
        assertTrue(s.tls(), "an API key turns TLS on");
        assertTrue(s.stubsOptions().build().getEnableHttps());

        var overridden = TemporalClientSettings.load(
                env(
                        "TEMPORAL_CONFIG_FILE",
                        toml.toString(),
                        "TEMPORAL_PROFILE",
                        "cloud",
                        "TEMPORAL_NAMESPACE",
                        "other",
                        "TEMPORAL_TLS",
                        "false"),
                "127.0.0.1:7233",
                "default");
        assertEquals("other", overridden.namespace());
        assertFalse(overridden.tls());
        assertEquals(
                "default.example:7233",
                TemporalClientSettings.load(env("TEMPORAL_CONFIG_FILE", toml.toString()), "127.0.0.1:7233", "default")
                        .address());
    }

    @Test
    void anUnknownProfileIsOneClearError() throws Exception {
        Path toml = dir.resolve("temporal.toml");
        Files.writeString(toml, "[profile.default]\naddress = \"a:1\"\n");
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalClientSettings.load(
                        env("TEMPORAL_CONFIG_FILE", toml.toString(), "TEMPORAL_PROFILE", "nope"), "x:1", "default"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void theApiKeyComesFromAFileOrASystemdCredentialAndIsNeverDescribed() throws Exception {
        Files.writeString(dir.resolve("key"), "sekrit-key-123\n");
        var s = TemporalClientSettings.load(
                env("TEMPORAL_API_KEY_FILE", dir.resolve("key").toString()), "h:7233", "default");
        assertTrue(s.hasApiKey());
        assertTrue(s.tls());
        assertEquals("h:7233 (namespace default, TLS, API key)", s.describe());
        assertFalse(s.describe().contains("sekrit"));

        Path creds = Files.createDirectories(dir.resolve("creds"));
        Files.writeString(creds.resolve(TemporalClientSettings.CREDENTIAL_API_KEY), "cred-key");
        var c = TemporalClientSettings.load(env("CREDENTIALS_DIRECTORY", creds.toString()), "h:7233", "default");
        assertTrue(c.hasApiKey());
        assertNotNull(c.stubsOptions().build());
    }

    @Test
    void aMissingKeyFileOrCaFileNamesTheVariable() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalClientSettings.load(
                        env("TEMPORAL_API_KEY_FILE", dir.resolve("missing").toString()), "h:1", "default"));
        assertTrue(e.getMessage().startsWith("TEMPORAL_API_KEY_FILE names "), e.getMessage());
        var ca = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalClientSettings.load(
                        env(
                                "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
                                dir.resolve("ca.pem").toString()),
                        "h:1",
                        "default"));
        assertTrue(ca.getMessage().startsWith("TEMPORAL_TLS_SERVER_CA_CERT_PATH names "), ca.getMessage());
    }
}
