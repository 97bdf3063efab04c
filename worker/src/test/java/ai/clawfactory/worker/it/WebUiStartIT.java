package ai.clawfactory.worker.it;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.testing.TemporalDevServer;
import ai.clawfactory.testing.TemporalDevServerExtension;
import ai.clawfactory.testing.WorkerProcess;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4's last proof: a person starts a workflow from the Temporal Web UI's "Start Workflow"
 * form and the worker runs it. Headless Debian chromium fills the form of the UI that ships in the
 * pinned Temporal CLI, against the real dev server; the packaged worker jar runs the workflow
 * against a WireMock gateway.
 *
 * <p>The selectors are the form's {@code data-testid}s and ids in the UI's
 * {@code src/lib/pages/start-workflow.svelte} (UI 2.54.1 in CLI 1.9.1): {@code workflowId},
 * {@code taskQueue}, {@code workflowType}, {@code start-workflow-button}. A UI upgrade that renames
 * them fails this test with a screenshot and the page source in {@code target/failsafe-reports/}.
 */
@ExtendWith(TemporalDevServerExtension.class)
class WebUiStartIT {

    private static final Logger LOG = LoggerFactory.getLogger(WebUiStartIT.class);
    private static final Path REPORTS = Path.of("target/failsafe-reports");
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final String TYPE = "QuickResearchWorkflow";

    @RegisterExtension
    final WorkerJarFixture it = new WorkerJarFixture();

    private final WireMockServer gateway = it.gateway;
    private WorkerProcess worker;
    private HeadlessChromium browser;

    /** Runs before {@code @AfterEach}, while the browser is still open. */
    @RegisterExtension
    final AfterTestExecutionCallback saveBrowserOnFailure = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            browser.saveState(
                    REPORTS,
                    getClass().getSimpleName() + "-"
                            + context.getRequiredTestMethod().getName());
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        it.define("quick.yaml", WorkerApplicationIT.QUICK);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void workflowStartedFromTheWebUiStartFormRunsOnTheWorker(TemporalDevServer server) throws Exception {
        long t0 = System.nanoTime();
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .willReturn(okJson("{\"ok\":true,\"runId\":\"r-ui\",\"completion\":{\"status\":\"ok\"}}")));
        startWorker(server.target());
        String workflowId = "quick-ui-" + UUID.randomUUID().toString().substring(0, 8);
        String ui = "http://127.0.0.1:" + server.uiPort();

        browser = HeadlessChromium.start(REPORTS, getClass().getSimpleName());
        browser.open(ui + "/namespaces/default/workflows/start-workflow");
        browser.visibleTestId("start-workflow", UI_TIMEOUT); // the form's heading
        type("workflowId", workflowId);
        type("taskQueue", it.taskQueue());
        type("workflowType", TYPE);
        // Leaving the task queue field makes the UI look up its pollers: our worker is one.
        browser.await(
                UI_TIMEOUT,
                "the form reports the task queue as active (the worker polls it)",
                ExpectedConditions.visibilityOfElementLocated(
                        By.xpath("//*[normalize-space(text())='Task Queue is Active']")));
        WebElement start = browser.await(
                UI_TIMEOUT,
                "Start Workflow button enabled (is StartWorkflowDisabled set in the UI settings?)",
                ExpectedConditions.elementToBeClickable(HeadlessChromium.byTestId("start-workflow-button")));
        start.click();
        // On success the UI shows a toast linking to the new run's history.
        browser.await(
                UI_TIMEOUT,
                "the UI confirms the start with a link to " + workflowId,
                ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("a[href*='/workflows/" + workflowId + "/']")));
        LOG.info("started {} from the Web UI {} ms after the test began", workflowId, millisSince(t0));

        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(server.target())
                .build());
        try {
            WorkflowExecutionInfo info = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () -> describe(service, workflowId).getWorkflowExecutionInfo(),
                            i -> i.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
            assertEquals(
                    WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
                    info.getStatus(),
                    () -> "workflow " + workflowId + " did not complete; worker log:\n" + worker.output());
            assertEquals(TYPE, info.getType().getName());
            assertEquals(it.taskQueue(), info.getTaskQueue());
        } finally {
            service.shutdownNow();
            service.awaitTermination(10, TimeUnit.SECONDS);
        }

        // Only the turns whose idempotency key names our workflow (the task queue is this test's own,
        // so no run of another test reaches our worker, but the key is what proves it).
        List<LoggedRequest> turns = gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent"))
                .withHeader("Idempotency-Key", matching(Pattern.quote(workflowId + "/") + ".*")));
        assertEquals(
                2,
                turns.size(),
                () -> "two turns of " + workflowId + "; the gateway saw keys "
                        + gateway.findAll(postRequestedFor(urlEqualTo("/hooks/agent"))).stream()
                                .map(r -> r.getHeader("Idempotency-Key"))
                                .toList());
        assertTrue(
                turns.get(0).getHeader("Idempotency-Key").endsWith("/execute"),
                turns.get(0).getHeader("Idempotency-Key"));
        assertEquals("Research for " + workflowId, message(turns.get(0)));
        assertTrue(
                turns.get(1).getHeader("Idempotency-Key").endsWith("/synthesize"),
                turns.get(1).getHeader("Idempotency-Key"));
        assertEquals("Synthesize r-ui", message(turns.get(1)));

        // And the UI shows the finished run.
        browser.open(ui + "/namespaces/default/workflows/" + workflowId);
        browser.await(
                UI_TIMEOUT,
                "the workflow page's heading names " + workflowId,
                ExpectedConditions.textToBePresentInElementLocated(
                        HeadlessChromium.byTestId("workflow-id-heading"), workflowId));
        browser.await(
                UI_TIMEOUT,
                "the workflow page shows the run as Completed",
                ExpectedConditions.visibilityOfElementLocated(
                        By.xpath("//header//*[normalize-space(text())='Completed']")));
        LOG.info("Web UI start to completed run, as seen in the UI: {} ms", millisSince(t0));
    }

    /**
     * Issue 17: a run reads like its definition in the Web UI. A run parked in its wait shows each
     * step's summary on its events and the run's current details (step, what it does, wake time).
     */
    @Test
    void aRunReadsLikeItsDefinitionInTheWebUi(TemporalDevServer server) throws Exception {
        gateway.stubFor(post(urlEqualTo("/hooks/agent"))
                .willReturn(okJson("{\"ok\":true,\"runId\":\"r-meta\",\"completion\":{\"status\":\"ok\"}}")));
        it.define("parked.yaml", """
                name: ParkedResearchWorkflow
                description: Research, then let it settle.
                steps:
                  - id: execute
                    agentTurn: { name: parked-execute, message: "Research" }
                  - id: settle
                    wait: 2h
                  - id: synthesize
                    agentTurn: { name: parked-synthesize, message: "Synthesize" }
                """);
        startWorker(server.target());
        String workflowId = "parked-ui-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(
                0,
                server.temporal(
                                "workflow",
                                "start",
                                "--type",
                                "ParkedResearchWorkflow",
                                "--task-queue",
                                it.taskQueue(),
                                "--workflow-id",
                                workflowId)
                        .exitCode());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> server.temporal("workflow", "query", "--workflow-id", workflowId, "--name", "status")
                        .output()
                        .matches("(?s).*\"kind\":\\s*\"wait\".*"));
        String ui = "http://127.0.0.1:" + server.uiPort();
        browser = HeadlessChromium.start(REPORTS, getClass().getSimpleName());
        try {
            browser.open(ui + "/namespaces/default/workflows/" + workflowId);
            browser.await(
                    UI_TIMEOUT,
                    "the event history shows the turn's summary 'execute: agent turn parked-execute'",
                    d -> d.getPageSource().contains("execute: agent turn parked-execute"));
            browser.await(
                    UI_TIMEOUT,
                    "the event history shows the wait's summary 'settle: wait 2h'",
                    d -> d.getPageSource().contains("settle: wait 2h"));
            // The run's current details are on the "User Metadata" tab.
            browser.await(
                            UI_TIMEOUT,
                            "a 'User Metadata' tab",
                            ExpectedConditions.elementToBeClickable(
                                    By.xpath("//*[self::a or self::button][normalize-space(.)='User Metadata']")))
                    .click();
            // The UI renders the Markdown in a frame of its own: read the text as a person sees it.
            WebElement frame = browser.await(
                    UI_TIMEOUT,
                    "the current details frame",
                    ExpectedConditions.presenceOfElementLocated(By.id("user-metadata-current-details")));
            String shown = browser.await(
                    UI_TIMEOUT,
                    "the User Metadata tab shows the run's current details (step 2 of 3: settle, wait 2h)",
                    d -> {
                        d.switchTo().frame(frame);
                        try {
                            String text = d.findElement(By.tagName("body")).getText();
                            return text.contains("step 2 of 3: settle — wait 2h · wakes 20")
                                            && text.contains("execute: ok")
                                    ? text
                                    : null;
                        } finally {
                            d.switchTo().defaultContent();
                        }
                    });
            LOG.info("current details in the Web UI: {}", shown.replace('\n', ' '));
        } finally {
            server.temporal("workflow", "terminate", "--workflow-id", workflowId, "--reason", "end of test");
        }
    }

    /** Types into a form field (by its data-testid), leaves the field, and checks the value took. */
    private void type(String testId, String value) {
        WebElement field = browser.visibleTestId(testId, UI_TIMEOUT);
        field.clear();
        field.sendKeys(value);
        field.sendKeys(Keys.TAB);
        assertEquals(value, field.getDomProperty("value"), "field " + testId);
    }

    private static DescribeWorkflowExecutionResponse describe(WorkflowServiceStubs service, String workflowId) {
        return service.blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build());
    }

    private static String message(LoggedRequest request) {
        return request.getBodyAsString().replaceAll(".*\"message\":\"([^\"]*)\".*", "$1");
    }

    private void startWorker(String temporalAddress) {
        worker = it.worker(temporalAddress).startReady();
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
