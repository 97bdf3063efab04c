package ai.clawfactory.worker.step.command;

import ai.clawfactory.worker.config.CommandsConfig;
import ai.clawfactory.worker.gateway.GatewayReply;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.secret.Redactor;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the commands of one attempt in order, each through the {@link CommandGates} and as its own
 * {@link ProcessGroup}, stopping at the first that fails; writes the attempt's {@link Bundle}
 * (every log, then the manifest, also when a gate refused or the attempt was cancelled). The
 * concatenated stdout, cut at the step's {@code maxOutput}, is the answer. When the worker stops,
 * every group still running is ended.
 */
@Singleton
public class CommandExecutor {

    /** What a command gets besides its declared variables: a fixed PATH, HOME (its folder), LANG. */
    static final String PATH = String.join(":", CommandGates.PATH);

    static final String LANG = "C.UTF-8";

    private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);

    private final CommandsConfig config;
    private final CommandGates gates;
    private final Set<ProcessGroup> running = ConcurrentHashMap.newKeySet();

    public CommandExecutor(CommandsConfig config) {
        this.config = config;
        this.gates = new CommandGates(config);
    }

    /** One command with its templates rendered. */
    record Rendered(
            List<String> argv, String cwd, Map<String, String> env, Duration timeout, List<Integer> okExitCodes) {}

    /** Who runs: written into the manifest. */
    record Who(String workflowId, String runId, String workflowType, String stepId, int attempt) {}

    CommandsConfig config() {
        return config;
    }

    /**
     * Runs {@code commands}, writing {@code bundle}; the reply's output is their stdout.
     *
     * @throws GatewayException CONFIGURATION when a gate refused (not retried), TRANSIENT when a
     *     command failed, ran past its timeout, was cancelled or could not start
     */
    GatewayReply run(List<Rendered> commands, int maxOutput, Bundle bundle, Who who, Redactor redactor) {
        Instant started = Instant.now();
        List<Bundle.Command> done = new ArrayList<>();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String how = "exited";
        String error = null;
        try {
            for (int i = 0; i < commands.size(); i++) {
                Rendered c = commands.get(i);
                Step step = runOne(i, c, bundle, redactor);
                done.add(step.record());
                byte[] out = step.stdout();
                output.write(out, 0, Math.min(out.length, Math.max(0, maxOutput - output.size())));
                if (!step.record().how().equals("exited")) {
                    how = step.record().how();
                    error = step.error();
                    throw step.failure();
                }
            }
            return new GatewayReply(null, null, false, output.toString(StandardCharsets.UTF_8));
        } finally {
            try {
                bundle.writeManifest(new Bundle.Manifest(
                        1,
                        who.workflowId(),
                        who.runId(),
                        who.workflowType(),
                        who.stepId(),
                        who.attempt(),
                        HOST,
                        started.toString(),
                        Instant.now().toString(),
                        how,
                        redactor.apply(error),
                        done));
            } catch (IOException e) {
                LOG.warn("Could not write the manifest of bundle {}: {}", bundle.folder(), e.toString());
            }
        }
    }

    /** How one command went: its manifest entry, its stdout, and the failure to throw when it did not exit as accepted. */
    private record Step(Bundle.Command record, byte[] stdout, String error, GatewayException failure) {}

    private Step runOne(int i, Rendered c, Bundle bundle, Redactor r) {
        String label = "command " + i + " (" + c.argv().get(0) + ")";
        List<String> argv = c.argv().stream().map(r::apply).toList();
        List<String> names = List.copyOf(c.env().keySet());
        String start = Instant.now().toString();
        CommandGates.Passed passed;
        try {
            passed = gates.check(c.argv(), c.cwd());
        } catch (CommandGates.Refused refused) {
            String m = label + ": " + refused.getMessage();
            return new Step(
                    new Bundle.Command(i, argv, null, c.cwd(), names, start, start, null, null, "refused", null, null),
                    new byte[0],
                    m,
                    new GatewayException(GatewayException.Category.CONFIGURATION, m, null, null, null));
        }
        ProcessGroup g;
        try {
            g = ProcessGroup.start(
                    passed.program(),
                    c.argv().subList(1, c.argv().size()),
                    passed.cwd(),
                    environment(passed.cwd(), c.env()));
        } catch (IOException e) {
            String m = label + " could not start: " + e.getMessage();
            return new Step(
                    new Bundle.Command(
                            i,
                            argv,
                            passed.program(),
                            passed.cwd().toString(),
                            names,
                            start,
                            start,
                            null,
                            null,
                            "error",
                            null,
                            null),
                    new byte[0],
                    m,
                    GatewayException.transientFailure(m, null, null));
        }
        running.add(g);
        String how;
        try {
            if (!g.await(c.timeout())) {
                how = "timeout";
            } else {
                how = c.okExitCodes().contains(g.exitCode()) ? "exited" : "failed";
            }
        } catch (InterruptedException e) {
            how = "cancelled";
            Thread.currentThread().interrupt();
        } finally {
            g.end(config.killGrace());
            running.remove(g);
        }
        Integer exit =
                how.equals("cancelled") || how.equals("timeout") ? exitIfEnded(g) : Integer.valueOf(g.exitCode());
        String end = Instant.now().toString();
        Bundle.Log out = null;
        Bundle.Log err = null;
        byte[] stdout = g.stdout().bytes();
        byte[] stderr = g.stderr().bytes();
        try {
            out = bundle.writeLog(
                    i, "stdout", stdout, g.stdout().total(), g.stdout().truncated(), r);
            err = bundle.writeLog(
                    i, "stderr", stderr, g.stderr().total(), g.stderr().truncated(), r);
        } catch (IOException e) {
            LOG.warn("Could not write the logs of {} to {}: {}", label, bundle.folder(), e.toString());
        }
        Bundle.Command record = new Bundle.Command(
                i, argv, passed.program(), passed.cwd().toString(), names, start, end, exit, g.signal(), how, out, err);
        String m = switch (how) {
            case "exited" -> null;
            case "timeout" ->
                label + " ran past its timeout of " + c.timeout().toSeconds()
                        + " s; its process group was ended (SIGTERM, then SIGKILL after "
                        + config.killGrace().toSeconds()
                        + " s)";
            case "cancelled" -> label + " was cancelled; its process group was ended";
            default ->
                label + " exited with " + exit + ", accepted " + c.okExitCodes() + "; stderr: "
                        + r.excerpt(new String(stderr, StandardCharsets.UTF_8));
        };
        return new Step(record, stdout, m, m == null ? null : GatewayException.transientFailure(m, null, null));
    }

    private static Integer exitIfEnded(ProcessGroup g) {
        try {
            return g.exitCode();
        } catch (IllegalThreadStateException stillThere) {
            return null;
        }
    }

    /**
     * The whole environment a command gets: PATH ({@link #PATH}), HOME (the folder it runs in),
     * LANG ({@link #LANG}) and what the step declares; never one of the worker's own variables.
     */
    static Map<String, String> environment(Path cwd, Map<String, String> declared) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", cwd.toString());
        env.put("LANG", LANG);
        declared.forEach((k, v) -> {
            if (!env.containsKey(k) && !k.startsWith("LD_")) {
                env.put(k, v);
            }
        });
        return env;
    }

    /** Ends every command still running (the worker stops): their groups get SIGTERM, then SIGKILL. */
    @PreDestroy
    void stop() {
        if (!running.isEmpty()) {
            LOG.info("Stopping: ending {} running command(s) and their process groups", running.size());
        }
        running.parallelStream().forEach(g -> g.end(config.killGrace()));
        running.clear();
    }

    private static final String HOST = host();

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
