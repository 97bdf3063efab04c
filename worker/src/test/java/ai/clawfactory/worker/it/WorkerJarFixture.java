package ai.clawfactory.worker.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every IT of the packaged worker jar sets up, as a JUnit 5 extension on an instance field:
 * a folder of its own with {@code defs/} and a gateway token file, a WireMock gateway on
 * 127.0.0.1, and the worker processes of the test ({@link WorkerProcesses}: the test's own task
 * queue, logs printed when the test fails, stopped right after the test). The folder is deleted
 * after the test unless it failed.
 */
final class WorkerJarFixture implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    static final Path JAR = Path.of("target/clawfactory-worker.jar");
    static final String GATEWAY_TOKEN = "it-token";

    final Path dir;
    final Path defs;
    final WireMockServer gateway;
    private final WorkerProcesses workers = new WorkerProcesses(JAR);
    private boolean failed;

    WorkerJarFixture() {
        this(options());
    }

    /** With the gateway's own WireMock options (a dynamic port on 127.0.0.1 is added). */
    WorkerJarFixture(WireMockConfiguration gatewayOptions) {
        try {
            dir = Files.createTempDirectory("clawfactory-worker-it-");
            defs = Files.createDirectories(dir.resolve("defs"));
            Files.writeString(dir.resolve("token"), GATEWAY_TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gateway = new WireMockServer(gatewayOptions.dynamicPort().bindAddress("127.0.0.1"));
    }

    /** Writes {@code defs/<file>}. */
    Path define(String file, String yaml) throws IOException {
        return Files.writeString(defs.resolve(file), yaml);
    }

    /** This test's task queue: every worker started here polls it. */
    String taskQueue() {
        return workers.taskQueue();
    }

    /**
     * A worker on {@code temporal} with this folder's definitions, a SQLite ledger, the gateway, a
     * 60 s connect timeout and a metrics port of its own; log {@code worker.log}.
     */
    WorkerProcess.Builder worker(String temporal) {
        return worker(temporal, "worker");
    }

    /** The same, named {@code name}, with its log in {@code <name>.log}. */
    WorkerProcess.Builder worker(String temporal, String name) {
        return jar(name)
                .temporal(temporal)
                .definitions(defs)
                .sqliteLedger(dir.resolve("ledger.db"))
                .gateway(gateway.baseUrl(), dir.resolve("token"))
                // The worker's 15 s default is short for a machine loaded by parallel builds; tests of
                // an unreachable server set their own.
                .env("TEMPORAL_CONNECT_TIMEOUT", "60s")
                .env("WORKER_HTTP_PORT", "0");
    }

    /** The jar with nothing set but the task queue (for its other commands, e.g. {@code turns}); log {@code <name>.log}. */
    WorkerProcess.Builder jar(String name) {
        return workers.builder(dir.resolve(name + ".log"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        workers.beforeEach(context);
        gateway.start();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        failed = context.getExecutionException().isPresent();
        workers.afterTestExecution(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            workers.afterEach(context);
        } finally {
            gateway.stop();
            if (!failed) {
                delete(dir);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }
}
