package ai.clawfactory.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessAndVenvTest {

    @Test
    void vmRssIsReadInKibibytes() {
        String status = "Name:\tpython3\nVmPeak:\t  900000 kB\nVmRSS:\t   61234 kB\nRssAnon:\t   40000 kB\n";
        assertEquals(61234, BenchProcess.parseVmRssKiB(status, 42));
    }

    @Test
    void aStatusWithoutVmRssIsAClearError() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> BenchProcess.parseVmRssKiB("Name:\tjava\nState:\tZ (zombie)\n", 42));
        assertTrue(e.getMessage().contains("pid 42"), e.getMessage());
    }

    @Test
    void cpuTimeCountsTheProcessesItRunsToo() throws Exception {
        // The shell only waits; its child spins. Bounded: the child stops itself after 30 s, and
        // both are destroyed when the test ends.
        Process p = new ProcessBuilder("sh", "-c", "timeout 30 sh -c 'while :; do :; done' & wait").start();
        try {
            await().alias("the spinning child's CPU time is counted beyond the shell's own")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        Duration own = p.toHandle().info().totalCpuDuration().orElseThrow();
                        return BenchProcess.cpuTime(p.toHandle()).compareTo(own.plusMillis(50)) >= 0;
                    });
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void theVenvStampChangesWithTheRequirementsAndTheInterpreter() {
        String a = PythonEnv.stamp("temporalio==1.35.0\n", "3.11.7");
        assertEquals(a, PythonEnv.stamp("temporalio==1.35.0\n", "3.11.7"));
        assertNotEquals(a, PythonEnv.stamp("temporalio==1.34.0\n", "3.11.7"));
        assertNotEquals(a, PythonEnv.stamp("temporalio==1.35.0\n", "3.12.1"));
        assertTrue(a.startsWith("python 3.11.7, requirements sha256 "), a);
    }

    @Test
    void aMissingWorkerScriptIsAClearErrorBeforeAnythingIsInstalled(@TempDir Path dir) {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> PythonEnv.ensure("python3", dir, dir.resolve("venv"), dir.resolve("venv.log")));
        assertTrue(e.getMessage().contains("worker.py is missing"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("venv")));
    }

    @Test
    void anInterpreterThatCannotRunIsAClearError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("worker.py"), "");
        Files.writeString(dir.resolve("requirements.txt"), "");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> PythonEnv.ensure(
                        dir.resolve("no-such-python").toString(), dir, dir.resolve("venv"), dir.resolve("venv.log")));
        assertTrue(e.getMessage().contains("cannot find the Python interpreter"), e.getMessage());
        assertTrue(e.getMessage().contains("--python PATH"), e.getMessage());
    }

    @Test
    void aFailedInstallIsAClearErrorAndLeavesNoVenvToReuse(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("worker.py"), "");
        // A requirement pip cannot satisfy without asking any index.
        Files.writeString(dir.resolve("requirements.txt"), dir.resolve("no-such-package-1.0-py3-none-any.whl") + "\n");
        Path venv = dir.resolve("venv");
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> PythonEnv.ensure("python3", dir, venv, dir.resolve("venv.log")));
        assertTrue(e.getMessage().startsWith("cannot install the Python worker's packages"), e.getMessage());
        assertTrue(e.getMessage().contains("PyPI must be reachable"), e.getMessage());
        assertTrue(Files.notExists(venv.resolve(PythonEnv.STAMP)), "a half-made venv is not marked as made");
    }

    @Test
    void theCommittedRequirementsPinEveryPackage() throws Exception {
        Path requirements = Path.of("python", "requirements.txt");
        long pinned = Files.readAllLines(requirements).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .peek(l -> assertTrue(l.matches("[A-Za-z0-9_.-]+==[0-9][A-Za-z0-9.]*"), "not pinned: " + l))
                .count();
        assertTrue(pinned >= 2, "temporalio and httpx at least");
        assertTrue(Files.readString(requirements).contains("temporalio==1.35."));
    }
}
