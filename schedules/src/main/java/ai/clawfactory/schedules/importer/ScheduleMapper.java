package ai.clawfactory.schedules.importer;

import static ai.clawfactory.schedules.importer.JobMapper.excerpt;
import static ai.clawfactory.schedules.importer.JobMapper.text;

import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps an OpenClaw job's {@code schedule} (cron, every, at) to a definition's schedule block,
 * noting what is not carried over; a kind Temporal schedules cannot express is refused.
 */
final class ScheduleMapper {

    /** Prefix of a returned reason: the job is skipped (nothing to schedule). */
    static final String SKIP = "SKIP:";
    /** Prefix of a returned reason: the job cannot be imported. */
    static final String UNSUPPORTED = "UNSUPPORTED:";

    private static final Set<String> NOT_IMPORTABLE_KINDS = Set.of("on-exit", "stream", "trigger", "pacing");

    private final String defaultTimezone;
    private final boolean defaultTimezoneGiven;
    private final Instant now;

    /**
     * @param defaultTimezone the zone for cron jobs without {@code tz}; null means the host's zone
     * @param now             the current time (a one-shot job in the past is skipped)
     */
    ScheduleMapper(String defaultTimezone, Instant now) {
        this.defaultTimezoneGiven = defaultTimezone != null;
        this.defaultTimezone = defaultTimezone != null
                ? defaultTimezone
                : ZoneId.systemDefault().getId();
        this.now = now;
    }

    /**
     * The schedule block (without id) into {@code out}; returns null, an error, or a reason prefixed
     * {@link #SKIP} or {@link #UNSUPPORTED}.
     */
    String schedule(JsonNode job, Map<String, Object> out, List<String> notes) {
        JsonNode s = job.path("schedule");
        String kind = text(s, "kind");
        if (kind == null) {
            return "the job has no schedule.kind";
        }
        Set<String> handled;
        switch (kind) {
            case "cron" -> {
                handled = Set.of("kind", "expr", "tz", "staggerMs");
                String expr = text(s, "expr");
                if (expr == null) {
                    return "schedule.expr is missing";
                }
                String[] fields = expr.trim().split("\\s+");
                if (fields.length == 6) {
                    if (!fields[0].equals("0")) {
                        return UNSUPPORTED + "schedule.expr '" + expr
                                + "' fires on seconds (6 fields); Temporal schedules here take "
                                + "5-field cron expressions (minute resolution)";
                    }
                    expr = String.join(" ", java.util.Arrays.copyOfRange(fields, 1, 6));
                }
                String err = DefinitionLoader.checkCron(expr);
                if (err != null) {
                    return "schedule.expr: " + err;
                }
                out.put("cron", expr.trim());
                String tz = text(s, "tz");
                if (tz == null || tz.isBlank()) {
                    tz = defaultTimezone;
                    notes.add("no tz: OpenClaw ran it in the gateway host's zone; using " + tz
                            + (defaultTimezoneGiven
                                    ? " (--default-timezone)"
                                    : " (this host's zone; --default-timezone to choose)"));
                }
                try {
                    ZoneId.of(tz);
                } catch (DateTimeException e) {
                    return "schedule.tz '" + tz + "' is not an IANA timezone";
                }
                out.put("timezone", tz);
                JsonNode stagger = s.get("staggerMs");
                if (stagger != null && stagger.canConvertToLong() && stagger.asLong() > 0) {
                    out.put("jitter", Durations.format(Duration.ofMillis(stagger.asLong())));
                    notes.add("staggerMs " + stagger.asLong() + " becomes jitter "
                            + Durations.format(Duration.ofMillis(stagger.asLong()))
                            + " (a random delay per run; OpenClaw used a fixed offset per job)");
                }
            }
            case "every" -> {
                handled = Set.of("kind", "everyMs", "anchorMs");
                JsonNode every = s.get("everyMs");
                if (every == null || !every.canConvertToLong() || every.asLong() < 1000) {
                    return "schedule.everyMs " + (every == null ? "is missing" : every + " must be at least 1000 (1s)");
                }
                long ms = every.asLong();
                out.put("interval", Durations.format(Duration.ofMillis(ms)));
                JsonNode anchor = s.get("anchorMs");
                if (anchor != null && anchor.canConvertToLong()) {
                    // Temporal fires at epoch + n * interval + offset; whole seconds are its resolution.
                    long offset = Math.floorMod(anchor.asLong(), ms) / 1000 * 1000;
                    if (offset > 0) {
                        out.put("offset", Durations.format(Duration.ofMillis(offset)));
                    }
                }
                out.put("timezone", "UTC");
            }
            case "at" -> {
                handled = Set.of("kind", "at", "atMs");
                Instant at;
                try {
                    at = s.hasNonNull("atMs") && s.get("atMs").canConvertToLong()
                            ? Instant.ofEpochMilli(s.get("atMs").asLong())
                            : java.time.OffsetDateTime.parse(text(s, "at")).toInstant();
                } catch (RuntimeException e) {
                    return "schedule.at " + excerpt(s.get("at")) + " is not an ISO date and time with an offset";
                }
                at = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                if (!at.isAfter(now)) {
                    return SKIP + "one-shot at " + at + " is in the past (it ran, or was missed); nothing to schedule";
                }
                out.put("at", at.toString());
                out.put("timezone", "UTC");
                boolean delete =
                        !job.has("deleteAfterRun") || job.get("deleteAfterRun").asBoolean(true);
                if (!delete) {
                    out.put("deleteAfterRun", false);
                }
                notes.add("one-shot: "
                        + (delete
                                ? "the next schedules sync after the run deletes the schedule, "
                                        + "whatever the outcome (OpenClaw kept a failed one-shot, disabled)"
                                : "the schedule is kept after it ran"));
            }
            default -> {
                if (NOT_IMPORTABLE_KINDS.contains(kind)) {
                    return UNSUPPORTED + "schedule kind '" + kind
                            + "' is driven by the gateway itself (not importable: Temporal "
                            + "schedules fire on time, not on process exits, streams or triggers)";
                }
                return UNSUPPORTED + "schedule kind '" + kind + "' is not importable";
            }
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!handled.contains(f)) {
                notes.add("schedule." + f + " " + excerpt(s.get(f)) + " is not carried over");
            }
        }
        if (!kind.equals("at")
                && job.has("deleteAfterRun")
                && job.get("deleteAfterRun").asBoolean(false)) {
            notes.add("deleteAfterRun applies to one-shot jobs only; ignored");
        }
        return null;
    }

    static String describeSchedule(Map<String, Object> s) {
        if (s.containsKey("cron")) {
            return "cron \"" + s.get("cron") + "\" " + s.get("timezone")
                    + (s.containsKey("jitter") ? " jitter " + s.get("jitter") : "");
        }
        if (s.containsKey("at")) {
            return "once at " + s.get("at");
        }
        return "every " + s.get("interval") + (s.containsKey("offset") ? " offset " + s.get("offset") : "");
    }
}
