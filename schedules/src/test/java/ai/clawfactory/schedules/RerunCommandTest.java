package ai.clawfactory.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.core.ExitCode;
import org.junit.jupiter.api.Test;

/** What {@code rerun} refuses before it talks to any server (the others: RerunIT). */
class RerunCommandTest {

    /** Nothing listens here: a refusal that reached for the server would say it is unreachable (exit 3). */
    private final Cli cli = new Cli("127.0.0.1:9", () -> null);

    @Test
    void aRunIdThatIsNotOneIsRefusedBeforeAnyQuery() {
        Cli.Result r = cli.run("rerun", "x' OR WorkflowType != '", "--from", "finish");
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("is not a run id"), r::toString);
        assertTrue(r.err().contains("Nothing was started."), r::toString);
    }

    @Test
    void theStepIsRequired() {
        Cli.Result r = cli.run("rerun", "0b6f3c2e-0000-4000-8000-000000000000");
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("--from=STEP"), r::toString);
    }

    @Test
    void aBrokenDefinitionsFolderIsReportedBeforeTheServerIsAsked() {
        Cli.Result r = cli.run(
                "rerun", "0b6f3c2e-0000-4000-8000-000000000000", "--from", "finish", "--definitions", "/nonexistent");
        assertEquals(ExitCode.INVALID.code(), r.exitCode(), r::toString);
        assertTrue(r.err().contains("No definitions folder at /nonexistent"), r::toString);
    }
}
