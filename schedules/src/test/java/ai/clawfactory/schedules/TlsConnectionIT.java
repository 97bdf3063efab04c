package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.testing.JavaCommand;
import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.TlsGrpcProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI against Temporal behind TLS and an API key (the dev server behind nginx), as a
 * user on a Cloud namespace runs it: a TOML profile picked by TEMPORAL_PROFILE, the key in a file.
 */
@ExtendWith(TemporalDevServerExtension.class)
class TlsConnectionIT {

    private static final Path JAR = Path.of("target/clawfactory-schedules.jar");
    private static final String KEY = "it-schedules-key-93ad17";

    private static Path shared;
    private static TlsGrpcProxy proxy;

    @TempDir
    Path dir;

    @RegisterExtension
    final ServerFixture t = new ServerFixture();

    @BeforeAll
    static void startProxy(TemporalDevServer server) throws IOException {
        shared = Files.createTempDirectory("clawfactory-tls-cli-");
        TlsGrpcProxy.makeCertificates(shared.resolve("certs"), "temporal.test");
        proxy = TlsGrpcProxy.start(server.target(), KEY, shared.resolve("certs"));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private record Run(int exitCode, String output) {}

    private Run cli(String key, String... args) throws Exception {
        Files.writeString(dir.resolve("key"), key);
        Files.writeString(dir.resolve("temporal.toml"), """
                [profile.default]
                address = "127.0.0.1:1"

                [profile.cloud]
                address = "%s"
                namespace = "default"

                [profile.cloud.tls]
                server_ca_cert_path = "%s"
                server_name = "temporal.test"
                """.formatted(proxy.target(), shared.resolve("certs/ca.pem")));
        ProcessBuilder pb = new ProcessBuilder(JavaCommand.java());
        pb.command().addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        pb.command().addAll(List.of(args));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("TEMPORAL_") && !k.equals("TEMPORAL_CLI"));
        env.put("TEMPORAL_CONFIG_FILE", dir.resolve("temporal.toml").toString());
        env.put("TEMPORAL_PROFILE", "cloud");
        env.put("TEMPORAL_API_KEY_FILE", dir.resolve("key").toString());
        env.put("TEMPORAL_TASK_QUEUE", t.taskQueue());
        Process p = pb.start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the CLI exits by itself");
        return new Run(p.exitValue(), Files.readString(dir.resolve("cli.log")));
    }

    @Test
    void syncThroughTlsWithAProfileAndAKeyFileCreatesTheSchedule() throws Exception {
        t.define("research.yaml", "ResearchWorkflow", "id: tls-research-daily\ncron: \"0 4 * * *\"\ntimezone: UTC\n");
        Run run = cli(KEY, "sync", t.defs.toString());
        assertEquals(0, run.exitCode(), run.output());
        var action = (io.temporal.client.schedules.ScheduleActionStartWorkflow) t.describe("tls-research-daily")
                .orElseThrow(() -> new AssertionError(run.output()))
                .getSchedule()
                .getAction();
        assertEquals(
                t.taskQueue(), action.getOptions().getTaskQueue(), "sync takes the queue from TEMPORAL_TASK_QUEUE");
        assertFalse(run.output().contains(KEY), run.output());

        Run listed = cli(KEY, "list");
        assertEquals(0, listed.exitCode(), listed.output());
        assertTrue(listed.output().contains("tls-research-daily"), listed.output());
    }

    @Test
    void aWrongKeyIsOneLineAndExitCodeThreeAndChangesNothing() throws Exception {
        t.define("research.yaml", "ResearchWorkflow", "id: tls-refused-daily\ncron: \"0 4 * * *\"\ntimezone: UTC\n");
        Run run = cli("wrong-key", "sync", t.defs.toString());
        assertEquals(ExitCode.UNREACHABLE.code(), run.exitCode(), run.output());
        assertEquals(1, run.output().strip().lines().count(), run.output());
        assertTrue(
                run.output().startsWith("Temporal at " + proxy.target() + " refused our credentials (UNAUTHENTICATED"),
                run.output());
        assertTrue(run.output().contains("Nothing was changed."), run.output());
        assertFalse(run.output().contains("wrong-key"), run.output());
        assertFalse(t.describe("tls-refused-daily").isPresent());
    }
}
