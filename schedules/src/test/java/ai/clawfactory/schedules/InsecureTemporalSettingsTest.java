package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.testing.JavaCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI refuses Temporal settings that give the API key away (exit 2, one line saying what and
 * how), unless TEMPORAL_TLS_ALLOW_INSECURE=true opens them, and then says so before it connects.
 * Run as a process: the settings are environment variables.
 */
class InsecureTemporalSettingsTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String output) {}

    /** {@code schedules list} against an address that never answers (TEST-NET-1), with {@code env}. */
    private Run list(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JavaCommand.java());
        pb.command()
                .addAll(List.of(
                        "-cp",
                        System.getProperty("java.class.path"),
                        SchedulesCommand.class.getName(),
                        "list",
                        "--address=192.0.2.1:7233",
                        "--connect-timeout=1"));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TEMPORAL_") || k.equals("CREDENTIALS_DIRECTORY"));
        pb.environment().put("TEMPORAL_CONFIG_FILE", dir.resolve("absent.toml").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("cli.log")));
    }

    @Test
    void anApiKeyWithoutTlsToAnotherHostIsRefusedBeforeConnecting() throws Exception {
        Run r = list(Map.of("TEMPORAL_API_KEY", "sekrit-cli-key", "TEMPORAL_TLS", "false"));
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r.output());
        assertEquals(
                "TEMPORAL_TLS=false with an API key would send the key in cleartext to 192.0.2.1:7233, which is not "
                        + "this host. Turn TLS on (leave TEMPORAL_TLS unset: a key turns it on), or set "
                        + "TEMPORAL_TLS_ALLOW_INSECURE=true to accept the risk. Nothing was changed.",
                r.output().strip());
        assertFalse(r.output().contains("sekrit"), r.output());
    }

    @Test
    void hostVerificationOffWithoutACaIsRefusedBeforeConnecting() throws Exception {
        Run r = list(Map.of("TEMPORAL_TLS", "true", "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", "true"));
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r.output());
        assertTrue(
                r.output()
                        .startsWith(
                                "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true without TEMPORAL_TLS_SERVER_CA_CERT_PATH"),
                r.output());
        assertEquals(1, r.output().strip().lines().count(), r.output());
    }

    @Test
    void whenAllowedItConnectsAndSaysSoFirst() throws Exception {
        Run r = list(Map.of(
                "TEMPORAL_API_KEY", "sekrit-cli-key", "TEMPORAL_TLS", "false", "TEMPORAL_TLS_ALLOW_INSECURE", "true"));
        // It went on to connect: nothing answers there, so exit 3.
        assertEquals(3, r.exitCode(), r.output());
        assertTrue(
                r.output()
                        .startsWith("warning: Temporal at 192.0.2.1:7233 (namespace default, API key, INSECURE: "
                                + "API key in cleartext, TEMPORAL_TLS_ALLOW_INSECURE=true)\n"),
                r.output());
        assertFalse(r.output().contains("sekrit"), r.output());
    }
}
