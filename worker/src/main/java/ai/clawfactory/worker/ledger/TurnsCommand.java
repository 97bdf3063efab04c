package ai.clawfactory.worker.ledger;

import io.micronaut.context.ApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code clawfactory turns}: the latest attempts in the ledger, newest first. */
@Command(name = "turns", mixinStandardHelpOptions = true,
        description = "Show the turn ledger: every attempt of every agent turn and HTTP step, newest first.")
public final class TurnsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(names = "--workflow", paramLabel = "ID", description = "Only attempts of this workflow id.")
    String workflowId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N rows (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--full", description = "Print each attempt's request and output in full.")
    boolean full;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static int run(String[] args) {
        return new CommandLine(new TurnsCommand()).execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (limit < 1 || limit > 10_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be from 1 to 10000");
        }
        try (ApplicationContext ctx = ApplicationContext.builder()
                .properties(Map.of("clawfactory.worker.enabled", "false"))
                .deduceEnvironment(false)
                .start()) {
            List<TurnAttempt> rows = ctx.getBean(TurnLedger.class).latest(workflowId, limit);
            if (rows.isEmpty()) {
                out.println(workflowId == null ? "No turns recorded yet." : "No turns recorded for workflow " + workflowId + ".");
                return 0;
            }
            out.printf("%-19s  %-28s  %-12s  %3s  %-14s  %-15s  %4s  %8s  %s%n",
                    "STARTED (UTC)", "WORKFLOW", "STEP", "ATT", "KIND", "STATUS", "HTTP", "MS", "RUN / ERROR");
            for (TurnAttempt r : rows) {
                out.printf("%-19s  %-28s  %-12s  %3d  %-14s  %-15s  %4s  %8s  %s%n",
                        TIME.format(Instant.ofEpochMilli(r.startedAt())), cut(r.workflowId(), 28), cut(r.stepId(), 12),
                        r.attempt(), r.kind(), r.status(), r.httpStatus() == null ? "-" : r.httpStatus(),
                        r.durationMs() == null ? "-" : r.durationMs(),
                        r.error() != null ? cut(r.error(), 100) : (r.gatewayRunId() == null ? "" : r.gatewayRunId()));
                if (full) {
                    out.println("    request: " + (r.request() == null ? "" : r.request()));
                    out.println("    output:  " + (r.output() == null ? "" : r.output()));
                }
            }
            return 0;
        }
    }

    private static String cut(String s, int n) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= n ? one : one.substring(0, n - 1) + "…";
    }
}
