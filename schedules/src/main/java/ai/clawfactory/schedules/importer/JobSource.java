package ai.clawfactory.schedules.importer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the jobs come from: the {@code openclaw} CLI ({@code cron list --all --json}), a saved copy
 * of that output or a legacy {@code jobs.json}, or the gateway's SQLite state (read only).
 */
final class JobSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The jobs read, where from, and anything the reader wants to say about them.
     *
     * @param warnings e.g. "the gateway listed 200 of 250 jobs"
     */
    record Jobs(String origin, List<JsonNode> jobs, List<String> warnings) {}

    /** A source that cannot be read: one clear line for the user. */
    static final class SourceException extends RuntimeException {
        SourceException(String message) {
            super(message);
        }
    }

    private JobSource() {}

    static Jobs fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SourceException("Cannot read " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (--jobs-file takes a saved `openclaw cron list --all --json` or a ~/.openclaw/cron/jobs.json)");
        }
        return parse(text, file.toString());
    }

    /** Parses {@code cron list --json} output ({@code {jobs, total, ...}}), a jobs.json array, or {@code {version: 1, jobs}}. */
    static Jobs parse(String text, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SourceException(origin + " is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null
                            ? ""
                            : " (line " + e.getLocation().getLineNr() + ")"));
        }
        List<String> warnings = new ArrayList<>();
        JsonNode jobs;
        if (root == null || root.isMissingNode()) {
            throw new SourceException(origin + " is empty");
        } else if (root.isArray()) {
            jobs = root;
        } else if (root.isObject() && root.has("jobs") && root.get("jobs").isArray()) {
            JsonNode version = root.get("version");
            if (version != null && !(version.isInt() && version.asInt() == 1)) {
                throw new SourceException(origin + " has schema version " + version + "; this importer reads version 1 "
                        + "jobs.json files and `openclaw cron list --json` output (run `openclaw doctor --fix`, then import "
                        + "from the CLI)");
            }
            jobs = root.get("jobs");
            if (root.path("hasMore").asBoolean(false)) {
                warnings.add("the gateway listed " + jobs.size() + " of "
                        + root.path("total").asText("?")
                        + " jobs; only those are imported (import the rest with --state-dir)");
            }
        } else {
            throw new SourceException(origin + " holds no job list (expected `openclaw cron list --json` output, "
                    + "a jobs.json array, or {\"version\": 1, \"jobs\": [...]})");
        }
        List<JsonNode> out = new ArrayList<>();
        int i = 0;
        for (JsonNode j : jobs) {
            if (!j.isObject()) {
                throw new SourceException(origin + ": jobs[" + i + "] is not a JSON object");
            }
            out.add(j);
            i++;
        }
        return new Jobs(origin, List.copyOf(out), List.copyOf(warnings));
    }

    /**
     * The gateway's state, {@code DIR/state/openclaw.sqlite}, opened read only: for when the gateway
     * is down. The {@code enabled} column is authoritative over the copy inside {@code job_json}.
     */
    static Jobs fromStateDir(Path stateDir) {
        // The state folder itself, its state/ subfolder, or the database file: whichever the user named.
        Path db = stateDir.resolve("state").resolve("openclaw.sqlite");
        if (!Files.isRegularFile(db) && Files.isRegularFile(stateDir.resolve("openclaw.sqlite"))) {
            db = stateDir.resolve("openclaw.sqlite");
        } else if (!Files.isRegularFile(db) && Files.isRegularFile(stateDir)) {
            db = stateDir;
        }
        if (!Files.isRegularFile(db)) {
            throw new SourceException("No OpenClaw state at " + db + " (--state-dir takes the gateway's state folder, "
                    + "$OPENCLAW_STATE_DIR, by default ~/.openclaw)");
        }
        if (!Files.isReadable(db)) {
            throw new SourceException("Cannot read " + db + " (permission denied; run as the gateway's user)");
        }
        // Read only. With no -wal/-shm beside it the gateway is down (a WAL database loses them on a clean close):
        // then open it immutable, which creates nothing; else share the gateway's WAL as a plain reader.
        boolean quiet = !Files.exists(Path.of(db + "-wal")) && !Files.exists(Path.of(db + "-shm"));
        String url =
                "jdbc:sqlite:file:" + db.toAbsolutePath() + (quiet ? "?immutable=1&open_mode=65" : "?open_mode=65");
        List<JsonNode> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement st = c.prepareStatement(
                        "SELECT job_id, enabled, job_json FROM cron_jobs ORDER BY sort_order, updated_at, job_id");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String jobId = rs.getString(1);
                JsonNode j;
                try {
                    j = JSON.readTree(rs.getString(3));
                } catch (JsonProcessingException e) {
                    throw new SourceException(
                            db + ": cron_jobs row " + jobId + " holds no valid job_json: " + e.getOriginalMessage());
                }
                if (!(j instanceof ObjectNode o)) {
                    throw new SourceException(db + ": cron_jobs row " + jobId + " holds no job object");
                }
                o.put("enabled", rs.getInt(2) != 0);
                out.add(o);
            }
        } catch (SQLException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            throw new SourceException("Cannot read the cron jobs from " + db + ": "
                    + (m.contains("no such table")
                            ? "it has no cron_jobs table (an OpenClaw older than 2026.6 keeps jobs in cron/jobs.json: use --jobs-file)"
                            : m));
        }
        return new Jobs(db.toString(), List.copyOf(out), List.of());
    }

    static Jobs fromCli(OpenClawCli cli) {
        String out = cli.listJobs();
        // Tolerate a banner or warning line printed before the JSON.
        int start = out.indexOf("\n{");
        if (!out.stripLeading().startsWith("{") && !out.stripLeading().startsWith("[") && start >= 0) {
            out = out.substring(start + 1);
        }
        return parse(out, cli.describe() + " cron list --all --json");
    }
}
