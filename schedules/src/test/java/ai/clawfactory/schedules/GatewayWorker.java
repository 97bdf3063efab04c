package ai.clawfactory.schedules;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.WorkerProcess;
import ai.clawfactory.testing.WorkerProcesses;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * For the ITs whose runs must really run: a WireMock gateway (its answers are the test's to stub)
 * and the packaged worker sending turns to it, with the definition files given, a SQLite ledger
 * and a token in {@code dir}. One per test class, from {@code @BeforeAll}; {@link #stop} in
 * {@code @AfterAll} (the worker belongs to the {@link WorkerProcesses} extension).
 */
record GatewayWorker(WireMockServer gateway, WorkerProcess worker) {

    /** The packaged worker (the ITs run after it is built). */
    static final Path WORKER_JAR = Path.of("../worker/target/clawfactory-worker.jar");

    static GatewayWorker start(
            WorkerProcesses workers, TemporalDevServer server, Path dir, Map<String, String> definitions)
            throws IOException {
        WireMockServer gateway = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        gateway.start();
        Path defs = Files.createDirectories(dir.resolve("worker-defs"));
        for (Map.Entry<String, String> file : definitions.entrySet()) {
            Files.writeString(defs.resolve(file.getKey()), file.getValue());
        }
        Files.writeString(dir.resolve("token"), "schedules-it-token");
        WorkerProcess worker = workers.builder(dir.resolve("worker.log"))
                .temporal(server.target())
                .definitions(defs)
                .sqliteLedger(dir.resolve("ledger.db"))
                .gateway(gateway.baseUrl(), dir.resolve("token"))
                .startReady();
        return new GatewayWorker(gateway, worker);
    }

    /** Stops the gateway; null-safe for a class whose start failed. */
    static void stop(GatewayWorker it) {
        if (it != null) {
            it.gateway().stop();
        }
    }
}
