package ai.clawfactory.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The approval events of a run's stream, read from the histories the worker's recorder made on
 * the dev server (worker/src/test/resources/histories): requested with its deadline, decided with
 * approved or rejected (never who or the note), timed out.
 */
class HistoryReaderApprovalTest {

    private static List<StepEvent> events(String file) throws IOException {
        WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(
                Files.readString(Path.of("../worker/src/test/resources/histories", file)));
        HistoryReader reader = new HistoryReader(DefaultDataConverter.newDefaultInstance());
        return history.getEvents().stream()
                .map(reader::read)
                .filter(Objects::nonNull)
                .toList();
    }

    private static List<String> approvalEvents(List<StepEvent> events) {
        return events.stream()
                .filter(e -> e.event().startsWith("approval."))
                .map(e -> e.event() + " " + e.step() + (e.status() == null ? "" : " " + e.status()))
                .toList();
    }

    @Test
    void anApprovedStepThenOneThatTimedOut() throws IOException {
        List<StepEvent> events = events("approval-approved-then-timeout.json");
        assertEquals(
                List.of(
                        "approval.requested publish",
                        "approval.decided publish approved",
                        "approval.requested sure",
                        "approval.timedOut sure"),
                approvalEvents(events));
        StepEvent requested = events.stream()
                .filter(e -> e.event().equals("approval.requested"))
                .findFirst()
                .orElseThrow();
        assertTrue(requested.until() != null && requested.summary().startsWith("publish: approval by "));
        assertTrue(
                events.stream().noneMatch(e -> e.event().equals("step.waitSkipped")),
                "a decided approval is no skipped wait: " + events);
        assertTrue(
                events.stream()
                        .noneMatch(e -> String.valueOf(e.message()).contains("looks good")
                                || String.valueOf(e.summary()).contains("ada")),
                "who decided and the note are not in the stream");
    }

    @Test
    void aRejectedStep() throws IOException {
        assertEquals(
                List.of("approval.requested publish", "approval.decided publish rejected"),
                approvalEvents(events("approval-rejected.json")));
    }
}
