package ai.clawfactory.worker;

import io.micronaut.context.ApplicationContext;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Application contexts for tests: a real SQLite ledger file, the given definitions, no Temporal worker. */
public final class TestContexts {

    private TestContexts() {
    }

    public static ApplicationContext start(Path dir, Path definitions, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("clawfactory.worker.enabled", "false");
        props.put("definitions.dir", definitions.toString());
        props.put("datasources.default.url", "jdbc:sqlite:" + dir.resolve("ledger.db")
                + "?journal_mode=WAL&busy_timeout=5000&transaction_mode=IMMEDIATE&jdbc.explicit_readonly=true");
        props.put("gateway.heartbeat", "200ms");
        props.putAll(extra);
        return ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
    }
}
