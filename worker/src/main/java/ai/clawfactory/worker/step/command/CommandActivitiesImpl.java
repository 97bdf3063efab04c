package ai.clawfactory.worker.step.command;

import ai.clawfactory.core.WorkflowIds;
import ai.clawfactory.core.definition.CommandDefinition;
import ai.clawfactory.core.definition.CommandEntry;
import ai.clawfactory.core.definition.Expressions;
import ai.clawfactory.core.definition.HttpTemplates;
import ai.clawfactory.core.definition.StepKind;
import ai.clawfactory.worker.http.GatewayException;
import ai.clawfactory.worker.secret.Redactor;
import ai.clawfactory.worker.secret.SecretSource;
import ai.clawfactory.worker.step.StepResult;
import ai.clawfactory.worker.step.TurnContext;
import ai.clawfactory.worker.step.attempt.AttemptRunner;
import ai.clawfactory.worker.step.attempt.Templates;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Command steps: renders each argv element and env value on its own ({@code {{secret.NAME}}} read
 * here, as in http steps, and redacted from everything recorded), opens the attempt's bundle, and
 * runs the commands through the {@link AttemptRunner} (ledgered, heartbeating, classified) and the
 * {@link CommandExecutor} (gates, process groups, logs). A gate's refusal is not retried; a command
 * that fails or times out is, by the step's retry policy: a command runs at least once.
 */
@Singleton
public class CommandActivitiesImpl implements CommandActivities {

    private final Templates templates;
    private final AttemptRunner runner;
    private final SecretSource secrets;
    private final CommandExecutor executor;

    public CommandActivitiesImpl(
            Templates templates, AttemptRunner runner, SecretSource secrets, CommandExecutor executor) {
        this.templates = templates;
        this.runner = runner;
        this.secrets = secrets;
        this.executor = executor;
    }

    @Override
    public StepResult command(CommandInput in) {
        TurnContext c = in.context();
        CommandDefinition def = in.command();
        String key = WorkflowIds.turnKey(c.workflowId(), c.runId(), in.stepId(), 0);
        Map<String, String> used = new LinkedHashMap<>();
        Function<String, String> plain = templates.resolver(c);
        Function<String, String> resolver = ref -> HttpTemplates.isSecretRef(ref)
                ? used.computeIfAbsent(HttpTemplates.secretName(ref), secrets::read)
                : plain.apply(ref);
        List<CommandExecutor.Rendered> rendered = new ArrayList<>();
        try {
            for (CommandEntry e : def.commands()) {
                List<String> argv = new ArrayList<>();
                argv.add(e.argv().get(0)); // the program is literal
                e.argv().stream().skip(1).forEach(a -> argv.add(Expressions.render(a, resolver)));
                Map<String, String> env = new LinkedHashMap<>();
                e.env().forEach((k, v) -> env.put(k, Expressions.render(v, resolver)));
                rendered.add(
                        new CommandExecutor.Rendered(List.copyOf(argv), e.cwd(), env, e.timeout(), e.okExitCodes()));
            }
        } catch (GatewayException e) {
            // A secret that is not there: our configuration, not the step's.
            throw runner.misconfigured(attempt(key, in, null, Redactor.of(used.values()), null), e);
        }
        Redactor redactor = Redactor.of(used.values());
        Bundle bundle;
        try {
            bundle = Bundle.create(
                    executor.config().bundlesPath(), c.workflowId(), c.runId(), in.stepId(), in.attempt());
        } catch (IOException e) {
            throw runner.misconfigured(
                    attempt(key, in, request(rendered), redactor, null),
                    new GatewayException(
                            GatewayException.Category.CONFIGURATION,
                            "cannot write the attempt's bundle under COMMANDS_BUNDLES_DIR "
                                    + executor.config().bundlesPath().toAbsolutePath() + ": " + e,
                            null,
                            null,
                            null));
        }
        AttemptRunner.Attempt attempt = attempt(
                key,
                in,
                request(rendered),
                redactor,
                bundle.folder().toAbsolutePath().toString());
        CommandExecutor.Who who =
                new CommandExecutor.Who(c.workflowId(), c.runId(), c.workflowType(), in.stepId(), in.attempt());
        try {
            return runner.run(attempt, () -> executor.run(rendered, def.maxOutput(), bundle, who, redactor));
        } finally {
            removeIfEmpty(bundle);
        }
    }

    /** What the ledger's request column shows: one line per command, its argv (redacted by the runner). */
    private static String request(List<CommandExecutor.Rendered> commands) {
        StringBuilder b = new StringBuilder();
        for (CommandExecutor.Rendered r : commands) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(String.join(" ", r.argv()));
        }
        return b.toString();
    }

    /** A bundle nothing was written to (the attempt's key had completed already) is not kept. */
    private static void removeIfEmpty(Bundle bundle) {
        try (Stream<?> files = Files.list(bundle.folder())) {
            if (files.findAny().isEmpty()) {
                Files.delete(bundle.folder());
            }
        } catch (IOException e) {
            // left as it is
        }
    }

    private static AttemptRunner.Attempt attempt(
            String key, CommandInput in, String request, Redactor r, String bundle) {
        return new AttemptRunner.Attempt(
                key, in.context(), in.stepId(), StepKind.COMMAND, in.attempt(), "command", request, r, bundle);
    }
}
