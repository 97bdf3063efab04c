package ai.clawfactory.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.worker.interpreter.RunResult;
import ai.clawfactory.worker.step.StepStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A graph of steps with the packaged worker jar against the real dev server and a stub gateway
 * that holds every turn until the test releases it: what is in flight at once is what reached the
 * gateway and is not yet answered.
 */
@ExtendWith(TemporalDevServerExtension.class)
class GraphIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final WorkerJarFixture it = new WorkerJarFixture();

    private HttpServer gateway;
    /** The hook name of every turn that reached the gateway, in arrival order. */
    private final List<String> arrived = new CopyOnWriteArrayList<>();
    /** The Idempotency-Key of every turn, in arrival order. */
    private final List<String> keys = new CopyOnWriteArrayList<>();

    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger mostHeld = new AtomicInteger();
    private final Semaphore answers = new Semaphore(0);
    /** Hook names the gateway refuses (400, a permanent failure). */
    private final Set<String> refused = new java.util.concurrent.CopyOnWriteArraySet<>();

    @BeforeEach
    void setUp() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.setExecutor(Executors.newCachedThreadPool());
        gateway.createContext("/hooks/agent", this::turn);
        gateway.start();
        it.define("branches.yaml", """
                name: GraphBranches
                steps:
                  - id: left
                    agentTurn: { name: left, message: "left" }
                  - id: right
                    agentTurn: { name: right, message: "right" }
                  - id: join
                    needs: [left, right]
                    agentTurn: { name: join, message: "join" }
                """);
        it.define("fanout.yaml", """
                name: GraphFanOut
                input:
                  topics: [a, b, c, d, e]
                steps:
                  - id: research
                    forEach: { items: "{{input.topics}}", as: topic, maxParallel: 2 }
                    agentTurn: { name: "research", message: "research {{topic}}" }
                """);
        it.define("failing.yaml", """
                name: GraphFailing
                steps:
                  - id: broken
                    agentTurn: { name: broken, message: "broken" }
                  - id: healthy
                    agentTurn: { name: healthy, message: "healthy" }
                  - id: afterBroken
                    needs: [broken]
                    agentTurn: { name: after-broken, message: "after" }
                  - id: afterHealthy
                    needs: [healthy]
                    agentTurn: { name: after-healthy, message: "after" }
                """);
    }

    @AfterEach
    void stopGateway() {
        answers.release(1000);
        gateway.stop(0);
    }

    /** A turn: recorded, held until a permit is released, then answered (400 for a refused name). */
    private void turn(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        String name = body.path("name").asText();
        keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
        arrived.add(name);
        mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
        try {
            if (!answers.tryAcquire(120, TimeUnit.SECONDS)) {
                throw new IOException("the test never released " + name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            held.decrementAndGet();
        }
        boolean refuse = refused.contains(name);
        byte[] answer = (refuse
                        ? "{\"ok\":false,\"error\":\"unknown agentId\"}"
                        : "{\"ok\":true,\"runId\":\"r-" + arrived.size() + "\",\"completion\":{\"status\":\"ok\"}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(refuse ? 400 : 200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private WorkflowClient start(TemporalDevServer server) {
        it.worker(server.target())
                .gateway("http://127.0.0.1:" + gateway.getAddress().getPort(), it.dir.resolve("token"))
                .env("GATEWAY_HEARTBEAT", "500ms")
                .env("WORKER_HTTP_PORT", "-1")
                .startReady();
        return AlertsIT.client(server);
    }

    private WorkflowStub run(WorkflowClient client, String type, String id) {
        WorkflowStub stub = client.newUntypedWorkflowStub(
                type,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(it.taskQueue())
                        .setWorkflowId(id)
                        .build());
        stub.start();
        return stub;
    }

    private static RunResult result(WorkflowStub stub) throws Exception {
        return stub.getResult(60, TimeUnit.SECONDS, RunResult.class);
    }

    @Test
    void bothBranchesReachTheGatewayBeforeEitherIsAnsweredAndTheJoinRunsAfterBoth(TemporalDevServer server)
            throws Exception {
        WorkflowClient client = start(server);
        WorkflowStub stub = run(client, "GraphBranches", "graph-branches");
        await().atMost(Duration.ofSeconds(60)).until(() -> held.get() == 2);
        assertEquals(Set.of("left", "right"), Set.copyOf(arrived), "both turns are out, neither answered");
        answers.release();
        await().atMost(Duration.ofSeconds(60)).until(() -> held.get() == 1);
        assertEquals(2, arrived.size(), "the join waits for the second branch");
        answers.release();
        await().atMost(Duration.ofSeconds(60)).until(() -> arrived.size() == 3);
        assertEquals("join", arrived.get(2));
        answers.release();
        RunResult r = result(stub);
        assertEquals(List.of("left", "right", "join"), List.copyOf(r.steps().keySet()));
        assertEquals(2, mostHeld.get());
    }

    @Test
    void aFanOutOfFiveWithMaxParallelTwoNeverHasMoreThanTwoInFlight(TemporalDevServer server) throws Exception {
        WorkflowClient client = start(server);
        WorkflowStub stub = run(client, "GraphFanOut", "graph-fan-out");
        for (int answered = 0; answered < 5; answered++) {
            int expect = Math.min(2, 5 - answered);
            int seen = answered + expect;
            await().atMost(Duration.ofSeconds(60)).until(() -> held.get() == expect && arrived.size() == seen);
            answers.release();
        }
        RunResult r = result(stub);
        assertEquals(2, mostHeld.get(), "two items at once, never more");
        assertEquals(5, arrived.size(), "each item sent once");
        String run = stub.getExecution().getRunId();
        assertEquals(
                Set.of(0, 1, 2, 3, 4).stream()
                        .map(i -> "graph-fan-out/" + run + "/research[" + i + "]")
                        .collect(Collectors.toSet()),
                Set.copyOf(keys),
                "an idempotency key of each item's own: (workflow, run, step, item)");
        assertEquals(
                List.of("a", "b", "c", "d", "e"),
                r.steps().get("research").items().stream().map(i -> i.item()).collect(Collectors.toList()));
        assertTrue(r.steps().get("research").items().stream().allMatch(i -> i.status() == StepStatus.OK));
    }

    @Test
    void aFailingBranchSkipsExactlyItsDependents(TemporalDevServer server) throws Exception {
        refused.add("broken");
        answers.release(100);
        WorkflowClient client = start(server);
        WorkflowStub stub = run(client, "GraphFailing", "graph-failing");
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> result(stub));
        assertTrue(
                e.getCause().getMessage().contains("Step 'broken'"),
                e.getCause().getMessage());
        assertEquals(Set.of("broken", "healthy", "after-healthy"), Set.copyOf(arrived));
        assertEquals(3, arrived.size());
    }
}
