package ai.clawfactory.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.TestWorkflowEnvironment;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The base of the API's context tests (as the Micronaut guides' {@code TestPropertyProvider}
 * bases): a folder with a token file and definitions, and Temporal's in-memory test server in
 * place of the real one (starts, describes, queries and cancels work there; listing does not, so
 * listing is tested on the real dev server in {@code ApiIT}).
 */
public abstract class ApiContext implements TestPropertyProvider {

    /** A token with the default scopes (read, operate). */
    public static final String TOKEN = "test-token-0123456789abcdef";

    /** A token that may read and decide approvals (line 4 of the file: "api-token#4"). */
    public static final String DECIDER = "decider-token-0123456789";

    /** A token that may only read. */
    public static final String READ_ONLY = "read-only-token-0123456789";

    public static final String DEFINITION = """
            name: ResearchWorkflow
            description: A test definition.
            input:
              topic: "poetry"
              depth: "1"
            steps:
              - id: settle
                wait: 1h
            """;

    static final TestWorkflowEnvironment TEMPORAL = TestWorkflowEnvironment.newInstance();

    protected final Path dir;

    protected ApiContext() {
        try {
            dir = Files.createTempDirectory("clawfactory-api-test-");
            Files.writeString(
                    dir.resolve("tokens"),
                    "# test tokens\n" + TOKEN + "\n" + READ_ONLY + " read\n" + DECIDER + " read,decide\n");
            Path defs = Files.createDirectories(dir.resolve("defs"));
            Files.writeString(defs.resolve("research.yaml"), DEFINITION);
            Files.writeString(defs.resolve("broken.yaml"), "name: BrokenWorkflow\nsteps: []\nbogus: 1\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "api.token-file",
                dir.resolve("tokens").toString(),
                "definitions.dir",
                dir.resolve("defs").toString(),
                "micronaut.server.port",
                "-1",
                "api.test-temporal",
                "true");
    }

    /** Temporal's in-memory server instead of the real one. */
    @Factory
    @Requires(property = "api.test-temporal", value = "true")
    static class TestTemporal {
        @Singleton
        @Replaces(value = WorkflowServiceStubs.class, factory = ai.clawfactory.api.temporal.TemporalFactory.class)
        WorkflowServiceStubs stubs() {
            return TEMPORAL.getWorkflowServiceStubs();
        }

        @Singleton
        @Replaces(value = WorkflowClient.class, factory = ai.clawfactory.api.temporal.TemporalFactory.class)
        WorkflowClient client() {
            return TEMPORAL.getWorkflowClient();
        }

        @Singleton
        @Replaces(value = ScheduleClient.class, factory = ai.clawfactory.api.temporal.TemporalFactory.class)
        ScheduleClient schedules() {
            return ScheduleClient.newInstance(TEMPORAL.getWorkflowServiceStubs());
        }
    }
}
