package ai.clawfactory.worker.ledger;

import ai.clawfactory.core.ExitCode;
import ai.clawfactory.worker.gateway.TokenSource;
import ai.clawfactory.worker.secret.Redactor;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clawfactory turns}: the latest attempts in the ledger, newest first. The ledger is opened
 * read-only (a missing file is an error, not a new empty ledger), and everything printed is
 * cleaned of control characters ({@link TerminalText}) and of the gateway token.
 */
@Command(
        name = "turns",
        mixinStandardHelpOptions = true,
        subcommands = TurnsPruneCommand.class,
        description = "Show the turn ledger: every attempt of every agent turn and HTTP step, newest first.")
public final class TurnsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String SQLITE = "jdbc:sqlite:";

    @Option(names = "--workflow", paramLabel = "ID", description = "Only attempts of this workflow id.")
    String workflowId;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "At most N rows (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--full", description = "Print each attempt's request and output in full.")
    boolean full;

    @Option(
            names = "--ledger",
            paramLabel = "FILE",
            description = "The SQLite ledger file (default: LEDGER_DB, as the worker uses it).")
    Path ledger;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static int run(String[] args) {
        return new CommandLine(new TurnsCommand()).execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (limit < 1 || limit > 10_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be from 1 to 10000");
        }
        Target target = Target.resolve(ledger, false, err);
        if (target == null) {
            return ExitCode.FAILED.code();
        }
        Map<String, Object> props = target.props();
        String where = target.where();
        List<TurnAttempt> rows;
        Redactor redactor;
        BundleFiles bundles;
        try (ApplicationContext ctx = ApplicationContext.builder()
                .properties(props)
                .deduceEnvironment(false)
                .start()) {
            rows = ctx.getBean(TurnLedger.class).latest(workflowId, limit);
            redactor = tokenRedactor(ctx);
            bundles = ctx.getBean(BundleFiles.class);
        } catch (RuntimeException e) {
            err.println("Cannot read the turn ledger at " + TerminalText.line(where) + ": "
                    + TerminalText.line(rootMessage(e)));
            err.flush();
            return ExitCode.FAILED.code();
        }
        print(out, rows, redactor, bundles);
        return ExitCode.OK.code();
    }

    /** Which ledger a turns command opens, and the context properties for it. */
    record Target(Map<String, Object> props, String where) {

        /** Null (after one line on {@code err}) when the SQLite file does not exist: nothing is created. */
        static Target resolve(Path ledger, boolean writable, PrintWriter err) {
            Map<String, Object> props = new HashMap<>();
            props.put("clawfactory.worker.enabled", "false");
            props.put("ledger.migrate", "false");
            props.put("datasources.default.maximum-pool-size", "1");
            props.put("datasources.default.minimum-idle", "1");
            String url = ledger != null ? SQLITE + ledger : configuredUrl();
            String where;
            if (url.startsWith(SQLITE)) {
                String file = url.substring(SQLITE.length());
                int q = file.indexOf('?');
                file = q >= 0 ? file.substring(0, q) : file;
                where = file;
                if (file.isEmpty() || file.startsWith(":memory:") || !Files.isRegularFile(Path.of(file))) {
                    err.println("No turn ledger at " + TerminalText.line(file)
                            + " (set LEDGER_DB or --ledger to the worker's ledger file; nothing was created)");
                    err.flush();
                    return null;
                }
                props.put(
                        "datasources.default.url",
                        writable
                                // Read-write, as the worker opens it (waits for the worker's writes, never creates the
                                // file).
                                ? SQLITE + file
                                        + "?open_mode=2&journal_mode=WAL&busy_timeout=5000&transaction_mode=IMMEDIATE&jdbc.explicit_readonly=true"
                                // Read-only (SQLITE_OPEN_READONLY): never creates, migrates or writes the file.
                                : SQLITE + file + "?open_mode=1&busy_timeout=5000&jdbc.explicit_readonly=true");
            } else {
                where = "the configured datasource";
                if (!writable) {
                    props.put("datasources.default.read-only", "true");
                }
            }
            return new Target(props, where);
        }
    }

    private void print(PrintWriter out, List<TurnAttempt> rows, Redactor r, BundleFiles bundles) {
        if (rows.isEmpty()) {
            out.println(
                    workflowId == null
                            ? "No turns recorded yet."
                            : "No turns recorded for workflow " + TerminalText.line(workflowId) + ".");
            return;
        }
        out.printf(
                "%-19s  %-28s  %-12s  %3s  %-14s  %-15s  %4s  %8s  %s%n",
                "STARTED (UTC)", "WORKFLOW", "STEP", "ATT", "KIND", "STATUS", "HTTP", "MS", "RUN / ERROR");
        for (TurnAttempt row : rows) {
            out.printf(
                    "%-19s  %-28s  %-12s  %3d  %-14s  %-15s  %4s  %8s  %s%n",
                    TIME.format(Instant.ofEpochMilli(row.startedAt())),
                    cut(row.workflowId(), 28),
                    cut(row.stepId(), 12),
                    row.attempt(),
                    cut(row.kind(), 14),
                    cut(row.status(), 15),
                    row.httpStatus() == null ? "-" : row.httpStatus(),
                    row.durationMs() == null ? "-" : row.durationMs(),
                    row.error() != null
                            ? cut(r.apply(row.error()), 100)
                            : row.gatewayRunId() == null ? "" : cut(r.apply(row.gatewayRunId()), 100));
            if (full) {
                out.println("    request: " + indent(r.apply(row.request())));
                out.println("    output:  " + indent(r.apply(row.output())));
                if (row.bundle() != null) {
                    for (String line : bundles.describe(row.bundle())) {
                        out.println("    " + indent(r.apply(line)));
                    }
                }
            }
        }
    }

    /** The gateway token, if this process can read it, is redacted again (rows written before redaction existed). */
    private static Redactor tokenRedactor(ApplicationContext ctx) {
        try {
            return Redactor.of(ctx.getBean(TokenSource.class).token());
        } catch (RuntimeException e) {
            return Redactor.NONE;
        }
    }

    /** The datasource URL the worker would use (application.yml with LEDGER_DB / DATASOURCES_DEFAULT_URL applied). */
    private static String configuredUrl() {
        try (ApplicationContext ctx =
                ApplicationContext.builder().deduceEnvironment(false).build()) {
            Environment env = ctx.getEnvironment().start();
            return env.getProperty("datasources.default.url", String.class).orElse("");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    private static String indent(String s) {
        return TerminalText.block(s).replace("\n", "\n             ");
    }

    private static String cut(String s, int n) {
        String one = TerminalText.line(s);
        return one.length() <= n ? one : one.substring(0, n - 1) + "…";
    }
}
