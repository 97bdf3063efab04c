package ai.clawfactory.schedules.importer;

import static ai.clawfactory.schedules.importer.JobMapper.excerpt;
import static ai.clawfactory.schedules.importer.JobMapper.text;

import ai.clawfactory.core.definition.DefinitionLoader;
import ai.clawfactory.core.definition.Durations;
import ai.clawfactory.core.definition.ScheduleDefinition;
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
     * When a job's schedule runs, as a definition says it.
     *
     * @param cron           one 5-field expression, or null
     * @param interval       or a fixed interval, with an optional offset
     * @param at             or one instant
     * @param deleteAfterRun a one-shot's schedule is deleted after its run
     */
    record When(
            String cron,
            Duration interval,
            Duration offset,
            Instant at,
            String timezone,
            Duration jitter,
            boolean deleteAfterRun) {

        /** The schedule of a definition: when it runs, paused or not, with a note; the rest is the loader's default. */
        ScheduleDefinition schedule(boolean paused, String note) {
            return new ScheduleDefinition(
                    null,
                    cron == null ? List.of() : List.of(cron),
                    interval,
                    offset,
                    timezone,
                    null,
                    null,
                    jitter,
                    false,
                    paused,
                    null,
                    Map.of(),
                    note,
                    null,
                    null,
                    at,
                    deleteAfterRun,
                    false);
        }

        /** For the job's summary line. */
        String describe() {
            if (cron != null) {
                return "cron \"" + cron + "\" " + timezone
                        + (jitter != null ? " jitter " + Durations.format(jitter) : "");
            }
            if (at != null) {
                return "once at " + at;
            }
            return "every " + Durations.format(interval)
                    + (offset != null ? " offset " + Durations.format(offset) : "");
        }
    }

    /** A job's schedule as a definition says it, or why it has none: an error, or a reason prefixed {@link #SKIP} or {@link #UNSUPPORTED}. */
    record Mapped(When when, String error) {}

    /** The job's schedule (without id), or why it has none. */
    Mapped schedule(JsonNode job, List<String> notes) {
        String cron = null;
        Duration interval = null;
        Duration offset = null;
        Instant atInstant = null;
        String timezone;
        Duration jitter = null;
        boolean deleteAfterRun = false;
        JsonNode s = job.path("schedule");
        String kind = text(s, "kind");
        if (kind == null) {
            return new Mapped(null, "the job has no schedule.kind");
        }
        Set<String> handled;
        switch (kind) {
            case "cron" -> {
                handled = Set.of("kind", "expr", "tz", "staggerMs");
                String expr = text(s, "expr");
                if (expr == null) {
                    return new Mapped(null, "schedule.expr is missing");
                }
                String[] fields = expr.trim().split("\\s+");
                if (fields.length == 6) {
                    if (!fields[0].equals("0")) {
                        return new Mapped(
                                null,
                                UNSUPPORTED + "schedule.expr '" + expr
                                        + "' fires on seconds (6 fields); Temporal schedules here take "
                                        + "5-field cron expressions (minute resolution)");
                    }
                    expr = String.join(" ", java.util.Arrays.copyOfRange(fields, 1, 6));
                }
                String err = DefinitionLoader.checkCron(expr);
                if (err != null) {
                    return new Mapped(null, "schedule.expr: " + err);
                }
                cron = expr.trim();
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
                    return new Mapped(null, "schedule.tz '" + tz + "' is not an IANA timezone");
                }
                timezone = tz;
                JsonNode stagger = s.get("staggerMs");
                if (stagger != null && stagger.canConvertToLong() && stagger.asLong() > 0) {
                    jitter = Duration.ofMillis(stagger.asLong());
                    notes.add("staggerMs " + stagger.asLong() + " becomes jitter "
                            + Durations.format(Duration.ofMillis(stagger.asLong()))
                            + " (a random delay per run; OpenClaw used a fixed offset per job)");
                }
            }
            case "every" -> {
                handled = Set.of("kind", "everyMs", "anchorMs");
                JsonNode every = s.get("everyMs");
                if (every == null || !every.canConvertToLong() || every.asLong() < 1000) {
                    return new Mapped(
                            null,
                            "schedule.everyMs "
                                    + (every == null ? "is missing" : every + " must be at least 1000 (1s)"));
                }
                long ms = every.asLong();
                interval = Duration.ofMillis(ms);
                JsonNode anchor = s.get("anchorMs");
                if (anchor != null && anchor.canConvertToLong()) {
                    // Temporal fires at epoch + n * interval + offset; whole seconds are its resolution.
                    long anchorOffset = Math.floorMod(anchor.asLong(), ms) / 1000 * 1000;
                    if (anchorOffset > 0) {
                        offset = Duration.ofMillis(anchorOffset);
                    }
                }
                timezone = "UTC";
            }
            case "at" -> {
                handled = Set.of("kind", "at", "atMs");
                Instant at;
                try {
                    at = s.hasNonNull("atMs") && s.get("atMs").canConvertToLong()
                            ? Instant.ofEpochMilli(s.get("atMs").asLong())
                            : java.time.OffsetDateTime.parse(text(s, "at")).toInstant();
                } catch (RuntimeException e) {
                    return new Mapped(
                            null,
                            "schedule.at " + excerpt(s.get("at")) + " is not an ISO date and time with an offset");
                }
                at = at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                if (!at.isAfter(now)) {
                    return new Mapped(
                            null,
                            SKIP + "one-shot at " + at
                                    + " is in the past (it ran, or was missed); nothing to schedule");
                }
                atInstant = at;
                timezone = "UTC";
                boolean delete =
                        !job.has("deleteAfterRun") || job.get("deleteAfterRun").asBoolean(true);
                deleteAfterRun = delete;
                notes.add("one-shot: "
                        + (delete
                                ? "the next schedules sync after the run deletes the schedule, "
                                        + "whatever the outcome (OpenClaw kept a failed one-shot, disabled)"
                                : "the schedule is kept after it ran"));
            }
            default -> {
                if (NOT_IMPORTABLE_KINDS.contains(kind)) {
                    return new Mapped(
                            null,
                            UNSUPPORTED + "schedule kind '" + kind
                                    + "' is driven by the gateway itself (not importable: Temporal "
                                    + "schedules fire on time, not on process exits, streams or triggers)");
                }
                return new Mapped(null, UNSUPPORTED + "schedule kind '" + kind + "' is not importable");
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
        return new Mapped(new When(cron, interval, offset, atInstant, timezone, jitter, deleteAfterRun), null);
    }
}
