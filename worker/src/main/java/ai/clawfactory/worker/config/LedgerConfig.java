package ai.clawfactory.worker.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Upkeep of the turn ledger (see application.yml for the variable names).
 *
 * @param retention    how old an attempt gets before {@code turns prune} deletes it (LEDGER_RETENTION)
 * @param abandonAfter at start, attempts still {@code running} that started longer ago than this are
 *                     marked {@code abandoned}: the worker that ran them is gone (LEDGER_ABANDON_AFTER).
 *                     Longer than any step's timeout, so a live attempt on another worker is never touched.
 * @param faultRetry   how long one attempt keeps retrying a failed ledger read or write (disk full,
 *                     read-only, locked, database away) before it gives up (LEDGER_FAULT_RETRY);
 *                     at most until shortly before the attempt's own timeout
 */
@ConfigurationProperties("ledger")
public record LedgerConfig(
        @Bindable(defaultValue = "30d") Duration retention,
        @Bindable(defaultValue = "24h") Duration abandonAfter,
        @Bindable(defaultValue = "5m") Duration faultRetry) {

    public LedgerConfig {
        Settings.required(retention, "ledger.retention", "LEDGER_RETENTION");
        Settings.required(abandonAfter, "ledger.abandon-after", "LEDGER_ABANDON_AFTER");
        Settings.required(faultRetry, "ledger.fault-retry", "LEDGER_FAULT_RETRY");
    }
}
