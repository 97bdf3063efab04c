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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
                        "false",
                        // The profile's key without TLS to a remote host: refused unless allowed (tests below).
                        "TEMPORAL_TLS_ALLOW_INSECURE",
                        "true"),
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

    // --- Insecure settings are refused unless the operator opens them (issue 28, finding 8) ---

    @Test
    void hostVerificationOffWithoutACaIsRefusedInOneLineSayingWhatAndHow() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalClientSettings.load(
                        env("TEMPORAL_TLS", "true", "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", "true"),
                        "temporal.example:7233",
                        "default"));
        assertEquals(
                "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true without TEMPORAL_TLS_SERVER_CA_CERT_PATH turns off every "
                        + "certificate check: anyone on the path to temporal.example:7233 could pose as the server "
                        + "and take the API key. Name the server's CA in TEMPORAL_TLS_SERVER_CA_CERT_PATH, or set "
                        + "TEMPORAL_TLS_ALLOW_INSECURE=true to accept the risk.",
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void hostVerificationOffIsAllowedWhenOpenedAndTheStartUpLineSaysSo() {
        var s = TemporalClientSettings.load(
                env(
                        "TEMPORAL_TLS",
                        "true",
                        "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION",
                        "true",
                        "TEMPORAL_TLS_ALLOW_INSECURE",
                        "true"),
                "temporal.example:7233",
                "default");
        assertTrue(s.tls());
        assertEquals(
                "temporal.example:7233 (namespace default, TLS, INSECURE: no certificate checks, "
                        + "TEMPORAL_TLS_ALLOW_INSECURE=true)",
                s.describe());
    }

    @Test
    void hostVerificationOffWithACaStillChecksTheChainAndNeedsNoOpening() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "not parsed here");
        var s = TemporalClientSettings.load(
                env(
                        "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION",
                        "true",
                        "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
                        dir.resolve("ca.pem").toString()),
                "temporal.example:7233",
                "default");
        assertEquals("temporal.example:7233 (namespace default, TLS)", s.describe());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"temporal.example:7233", "10.0.0.5:7233", "[2001:db8::1]:7233", "dns:///temporal.example:7233"})
    void anApiKeyWithoutTlsToAnotherHostIsRefused(String address) {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalClientSettings.load(
                        env("TEMPORAL_API_KEY", "sekrit-key", "TEMPORAL_TLS", "false"), address, "default"));
        assertEquals(
                "TEMPORAL_TLS=false with an API key would send the key in cleartext to " + address
                        + ", which is not this host. Turn TLS on (leave TEMPORAL_TLS unset: a key turns it on), "
                        + "or set TEMPORAL_TLS_ALLOW_INSECURE=true to accept the risk.",
                e.getMessage());
        assertFalse(e.getMessage().contains("sekrit"));
    }

    @Test
    void anApiKeyWithoutTlsIsAllowedWhenOpenedAndTheStartUpLineSaysSo() {
        var s = TemporalClientSettings.load(
                env("TEMPORAL_API_KEY", "sekrit-key", "TEMPORAL_TLS", "false", "TEMPORAL_TLS_ALLOW_INSECURE", "true"),
                "temporal.example:7233",
                "default");
        assertFalse(s.tls());
        assertEquals(
                "temporal.example:7233 (namespace default, API key, INSECURE: API key in cleartext, "
                        + "TEMPORAL_TLS_ALLOW_INSECURE=true)",
                s.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:7233", "127.0.0.2:7233", "localhost:7233", "LOCALHOST:7233", "[::1]:7233"})
    void anApiKeyWithoutTlsToThisHostIsAllowed(String address) {
        // A local TLS-terminating proxy or tunnel: the key does not leave the host.
        var s = TemporalClientSettings.load(
                env("TEMPORAL_API_KEY", "sekrit-key", "TEMPORAL_TLS", "false"), address, "default");
        assertEquals(address + " (namespace default, API key)", s.describe());
    }

    @Test
    void anAllowInsecureThatIsNotTrueOrFalseIsRefused() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalClientSettings.load(env("TEMPORAL_TLS_ALLOW_INSECURE", "yes"), "h:7233", "default"));
        assertEquals("TEMPORAL_TLS_ALLOW_INSECURE is 'yes', not true or false.", e.getMessage());
        // Opened but not needed: nothing insecure is in use, nothing is said.
        assertEquals(
                "h:7233 (namespace default)",
                TemporalClientSettings.load(env("TEMPORAL_TLS_ALLOW_INSECURE", "true"), "h:7233", "default")
                        .describe());
    }

    @Test
    void aProfileThatDisablesHostVerificationIsCheckedTheSameWay() throws Exception {
        Path toml = dir.resolve("temporal.toml");
        Files.writeString(toml, """
                [profile.default]
                address = "temporal.example:7233"
                api_key = "from-file"
                [profile.default.tls]
                disable_host_verification = true
                """);
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> TemporalClientSettings.load(env("TEMPORAL_CONFIG_FILE", toml.toString()), "x:1", "default"));
        assertTrue(e.getMessage().startsWith("TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true without"), e.getMessage());
    }
}
