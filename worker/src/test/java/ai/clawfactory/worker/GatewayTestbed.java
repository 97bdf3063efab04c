package ai.clawfactory.worker;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ai.clawfactory.worker.interpreter.DefinitionActivitiesImpl;
import ai.clawfactory.worker.step.agentturn.AgentTurnActivitiesImpl;
import ai.clawfactory.worker.step.approval.ApprovalActivitiesImpl;
import ai.clawfactory.worker.step.command.CommandActivitiesImpl;
import ai.clawfactory.worker.step.httpcall.HttpCallActivitiesImpl;
import ai.clawfactory.worker.step.wake.WakeActivitiesImpl;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micronaut.context.ApplicationContext;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What the workflow tests with the real activities share, as a JUnit 5 extension on an instance
 * field next to {@link TestWorkflows#interpreter}: a folder with {@code defs/}, WireMock as the
 * gateway on 127.0.0.1, a worker context ({@link TestContexts}) whose agent-turn, http, wake,
 * command, approval and definition activities {@link #start} registers on the test's worker, and every log line of the test.
 *
 * <p>Register it before the {@code TestWorkflowExtension} ({@code @Order(1)} and {@code @Order(2)}):
 * JUnit runs the after-callbacks in reverse, so the environment stops before this closes the context.
 */
public final class GatewayTestbed implements BeforeEachCallback, AfterEachCallback {

    public final WireMockServer wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Path dir;
    private Path defs;
    private ApplicationContext ctx;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("clawfactory-gateway-test-");
        defs = Files.createDirectories(dir.resolve("defs"));
        wm.start();
        logs.start();
        root().addAppender(logs);
    }

    /** Writes {@code defs/<file>}. */
    public Path define(String file, String yaml) throws IOException {
        return Files.writeString(defs.resolve(file), yaml);
    }

    /** This test's folder (the SQLite ledger, the token file). */
    public Path dir() {
        return dir;
    }

    /**
     * Starts the worker context on WireMock ({@code gateway.kind} {@code kind}, {@code token} in the
     * token file, {@code extra} properties on top), registers its activities on {@code worker} and
     * starts {@code env}.
     */
    public ApplicationContext start(
            TestWorkflowEnvironment env, Worker worker, String kind, String token, Map<String, Object> extra)
            throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), token);
        Map<String, Object> props = new HashMap<>(
                Map.of("gateway.url", wm.baseUrl(), "gateway.kind", kind, "gateway.token-file", tokenFile.toString()));
        props.putAll(extra);
        ctx = TestContexts.start(dir, defs, props);
        worker.registerActivitiesImplementations(
                ctx.getBean(AgentTurnActivitiesImpl.class),
                ctx.getBean(HttpCallActivitiesImpl.class),
                ctx.getBean(WakeActivitiesImpl.class),
                ctx.getBean(CommandActivitiesImpl.class),
                ctx.getBean(ApprovalActivitiesImpl.class),
                ctx.getBean(DefinitionActivitiesImpl.class));
        env.start();
        return ctx;
    }

    public ApplicationContext start(TestWorkflowEnvironment env, Worker worker, String kind, String token)
            throws IOException {
        return start(env, worker, kind, token, Map.of());
    }

    /** The log lines of this test so far. */
    public List<ILoggingEvent> logs() {
        return List.copyOf(logs.list);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().detachAppender(logs);
        try {
            if (ctx != null) {
                ctx.close();
            }
        } finally {
            wm.stop();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // best effort: a temporary folder
            }
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
