package ai.clawfactory.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchFlagsTest {

    @Test
    void withoutMemorySettingsKeepsEveryOtherFlag() {
        String unit = "-Xms16m -Xmx256m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:+UseSerialGC -Xshare:auto "
                + "-Dio.netty.allocator.type=unpooled -Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled";
        assertEquals("-Xms32m -Xmx256m -XX:+UseSerialGC -Xshare:auto", StartupPhase.withoutMemorySettings(unit));
    }

    @Test
    void aSecondUnitFlagsReplacesTheFirstAndExtraFlagsAreAppended() {
        CommandLine cli = Bench.commandLine();
        // As ./clawfactory bench passes them: its own options first, the user's after them.
        cli.parseArgs(
                "--unit-flags",
                "-Xmx256m -XX:+UseSerialGC",
                "--worker-java",
                "/opt/jdk25/bin/java",
                "--unit-flags",
                "-Xmx128m",
                "--extra-flags",
                " -XX:+UseCompactObjectHeaders ");
        Bench bench = cli.getCommand();
        assertEquals("-Xmx128m", bench.unitFlags);
        assertEquals(Path.of("/opt/jdk25/bin/java"), bench.workerJava);
        assertEquals("-Xmx128m -XX:+UseCompactObjectHeaders", Bench.jvmFlags(bench.unitFlags, bench.extraFlags));
        assertEquals(
                List.of("-Xmx128m", "-XX:+UseCompactObjectHeaders"),
                Harness.flags(Bench.jvmFlags(bench.unitFlags, bench.extraFlags)));
    }

    @Test
    void withoutWorkerJavaTheBenchUsesItsOwnJvmAndThePythonDefaults() {
        CommandLine cli = Bench.commandLine();
        cli.parseArgs("--quick");
        Bench bench = cli.getCommand();
        assertNull(bench.workerJava);
        assertEquals("", bench.extraFlags);
        assertEquals("python3", bench.python);
        assertEquals(Path.of("bench/python"), bench.pythonDir);
        assertEquals(Path.of("target/bench/python-venv"), bench.pythonVenv);
    }

    @Test
    void everyModeMeasuresThePythonWorkerAsOftenAsTheJavaWorkersAsShipped() {
        for (boolean quick : new boolean[] {true, false}) {
            List<StartupPhase.Variant> v = StartupPhase.variants("-Xmx256m -XX:+UseSerialGC", quick, 5, 3);
            StartupPhase.Variant python = v.stream()
                    .filter(x -> x.column().equals(Harness.PYTHON))
                    .findFirst()
                    .orElseThrow();
            assertEquals(StartupPhase.PYTHON_DEFAULTS, python.name());
            assertEquals(5, python.runs());
            assertEquals(
                    5,
                    v.stream()
                            .filter(x -> x.name().equals(StartupPhase.SHIPPED)
                                    && x.column().equals(Harness.BARE))
                            .findFirst()
                            .orElseThrow()
                            .runs());
        }
    }

    @Test
    void startedInIsReadFromTheWorkersAndThePythonWorkersLog() {
        assertEquals(1004, StartupPhase.startedIn("12:00:01 INFO  Application - Started in 1004 ms\n"));
        assertEquals(
                812,
                StartupPhase.startedIn("Python worker polling task queue 'q' on 127.0.0.1:1; started in 812 ms\n"));
        assertEquals(-1, StartupPhase.startedIn("no such line\n"));
    }

    @Test
    void throughputRoundsTurnTheColumnOrderSoEachRunsFirstInTurn() {
        List<String> columns = List.of(Harness.WORKER, Harness.BARE, Harness.PYTHON);
        assertEquals(columns, ThroughputPhase.order(columns, 0));
        assertEquals(List.of(Harness.BARE, Harness.PYTHON, Harness.WORKER), ThroughputPhase.order(columns, 1));
        assertEquals(List.of(Harness.PYTHON, Harness.WORKER, Harness.BARE), ThroughputPhase.order(columns, 2));
        assertEquals(columns, ThroughputPhase.order(columns, 3));
    }
}
