package ai.clawfactory.api.ledger;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The turns of a run, read from the worker's turn ledger READ-ONLY, with the worker's own settings:
 * {@code DATASOURCES_DEFAULT_URL} (+ {@code _USERNAME}, {@code _PASSWORD}) for PostgreSQL, else
 * {@code LEDGER_DB}, the SQLite file. One connection (a pool of one), opened when first needed and
 * again after a failure; at most {@link #MAX_ROWS} attempts per run, the newest. The API never
 * writes the ledger, never migrates it, and never fails a call for it: without settings, or when
 * the ledger cannot be read, a run's details say {@code "ledger": "unavailable"}.
 */
@Singleton
public final class LedgerTurns {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerTurns.class);

    /** Most attempts shown for one run (newest first). */
    public static final int MAX_ROWS = 200;

    /** Longest output or error shown per attempt; the ledger keeps all of it. */
    static final int MAX_TEXT = 4096;

    /** One attempt as the API shows it (the request body is left out; it is the step's message). */
    public record Turn(
            String step,
            int attempt,
            String kind,
            String status,
            Integer httpStatus,
            String gatewayRunId,
            String startedAt,
            Long durationMs,
            String output,
            String error,
            boolean truncated) {}

    /** What a run's details carry: the turns, or why there are none to show. */
    public record Turns(List<Turn> turns, String ledger) {

        static Turns unavailable() {
            return new Turns(null, "unavailable");
        }
    }

    private static final String QUERY = "SELECT step_id, attempt, kind, status, http_status, gateway_run_id,"
            + " started_at, duration_ms, output, error FROM turn_attempt WHERE workflow_id = ? AND run_id = ?"
            + " ORDER BY started_at DESC, attempt DESC LIMIT " + MAX_ROWS;

    private final String url;
    private final String username;
    private final String password;
    private Connection connection;

    LedgerTurns(
            @Value("${ledger.url:}") String url,
            @Value("${ledger.sqlite-file:}") String sqliteFile,
            @Value("${ledger.username:}") String username,
            @Value("${ledger.password:}") String password) {
        this.url = url != null && !url.isBlank()
                ? url
                : (sqliteFile != null && !sqliteFile.isBlank() ? "jdbc:sqlite:" + sqliteFile : null);
        this.username = username;
        this.password = password;
    }

    /** Whether the ledger is configured at all. */
    public boolean configured() {
        return url != null;
    }

    /** The turns of run {@code runId} of {@code workflowId}, newest first, or unavailable. */
    public synchronized Turns of(String workflowId, String runId) {
        if (url == null) {
            return Turns.unavailable();
        }
        try {
            List<Turn> turns = new ArrayList<>();
            try (PreparedStatement s = connection().prepareStatement(QUERY)) {
                s.setString(1, workflowId);
                s.setString(2, runId);
                s.setQueryTimeout(5);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        turns.add(turn(r));
                    }
                }
            }
            return new Turns(turns, null);
        } catch (SQLException | RuntimeException e) {
            // The first line of the driver's message (a file path or a host, never a password), escaped by the log
            // pattern.
            LOG.warn(
                    "The turn ledger cannot be read ({}: {}); run details show \"ledger\": \"unavailable\"",
                    e.getClass().getSimpleName(),
                    firstLine(e.getMessage()));
            close();
            return Turns.unavailable();
        }
    }

    private static Turn turn(ResultSet r) throws SQLException {
        String output = r.getString("output");
        String error = r.getString("error");
        boolean truncated = output != null && output.length() > MAX_TEXT || error != null && error.length() > MAX_TEXT;
        long started = r.getLong("started_at");
        return new Turn(
                r.getString("step_id"),
                r.getInt("attempt"),
                r.getString("kind"),
                r.getString("status"),
                nullableInt(r, "http_status"),
                r.getString("gateway_run_id"),
                Instant.ofEpochMilli(started).toString(),
                nullableLong(r, "duration_ms"),
                cut(output),
                cut(error),
                truncated);
    }

    /** The column's value, or null for SQL NULL (sqlite-jdbc's getObject(col, Integer.class) refuses NULL). */
    private static Integer nullableInt(ResultSet r, String column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet r, String column) throws SQLException {
        long v = r.getLong(column);
        return r.wasNull() ? null : v;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = open();
        }
        return connection;
    }

    private Connection open() throws SQLException {
        if (url.startsWith("jdbc:sqlite:")) {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(5000);
            String file = url.substring("jdbc:sqlite:".length());
            int q = file.indexOf('?');
            String path = q < 0 ? file : file.substring(0, q);
            if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(path))) {
                throw new SQLException("no readable ledger file", "08001");
            }
            return DriverManager.getConnection("jdbc:sqlite:" + path, config.toProperties());
        }
        Properties p = new Properties();
        if (username != null && !username.isBlank()) {
            p.setProperty("user", username);
        }
        if (password != null && !password.isBlank()) {
            p.setProperty("password", password);
        }
        Connection c = DriverManager.getConnection(url, p);
        c.setReadOnly(true);
        return c;
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a connection that failed: nothing left to do
            }
            connection = null;
        }
    }
}
