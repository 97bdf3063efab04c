package ai.clawfactory.schedules;

import ai.clawfactory.core.Names;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.EncodedValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Makes the server's schedules match the declared ones: plans first (reads only), then applies.
 * Only schedules carrying our managed-by marker are updated or deleted; a declared id held by a
 * schedule made by hand is a conflict that stops the whole sync before anything is applied.
 */
final class Reconciler {

    /** PASSED: a one-shot whose time is over; not created again. */
    enum Kind {
        CREATE,
        UPDATE,
        DELETE,
        KEEP,
        LEAVE,
        CONFLICT,
        PASSED
    }

    /**
     * One line of the plan.
     *
     * @param kind     what happens
     * @param id       schedule id
     * @param declared the declared schedule (null for DELETE and LEAVE)
     * @param detail   human-readable reason or change list
     */
    record Change(Kind kind, String id, DeclaredSchedule declared, String detail) {}

    private final TemporalOptions.Connection conn;
    private final java.util.function.Supplier<java.time.Instant> clock;

    Reconciler(TemporalOptions.Connection conn) {
        this(conn, java.time.Instant::now);
    }

    Reconciler(TemporalOptions.Connection conn, java.util.function.Supplier<java.time.Instant> clock) {
        this.conn = conn;
        this.clock = clock;
    }

    /** Reads what the server holds and returns what sync would do; changes nothing. */
    List<Change> plan(Map<String, DeclaredSchedule> declared) {
        List<Change> plan = new ArrayList<>();
        for (DeclaredSchedule d : new TreeMap<>(declared).values()) {
            Optional<ScheduleDescription> existing = describe(d.id());
            // A schedule created after its one instant would never fire (catch-up covers only times it existed for).
            boolean over = d.definition().oneShot()
                    && !clock.get().isBefore(d.definition().at());
            if (existing.isEmpty()) {
                if (over) {
                    plan.add(new Change(
                            Kind.PASSED,
                            d.id(),
                            d,
                            "one-shot at " + d.definition().at() + " is over; not created (remove " + d.source()
                                    + " when you no longer need it)"));
                } else {
                    plan.add(new Change(
                            Kind.CREATE, d.id(), d, d.workflowType() + ", " + d.when() + " (" + d.source() + ")"));
                }
                continue;
            }
            ScheduleDescription e = existing.get();
            boolean managed = Names.MANAGED_BY_VALUE.equals(memo(e, Names.MEMO_MANAGED_BY));
            if (managed && d.definition().oneShot() && d.definition().deleteAfterRun() && ran(e)) {
                plan.add(new Change(
                        Kind.DELETE,
                        d.id(),
                        d,
                        "one-shot ran at " + d.definition().at() + "; deleteAfterRun"));
                continue;
            }
            if (!managed) {
                plan.add(new Change(
                        Kind.CONFLICT,
                        d.id(),
                        d,
                        "a schedule with this id exists but was not made by "
                                + "clawfactory-schedules (made by hand?). Rename schedule.id in " + d.source()
                                + ", or delete the existing one with: schedules delete " + d.id() + " --force"));
            } else if (d.hash().equals(actionMemo(e, Names.MEMO_SPEC_HASH))) {
                plan.add(new Change(Kind.KEEP, d.id(), d, "unchanged"));
            } else {
                plan.add(new Change(
                        Kind.UPDATE,
                        d.id(),
                        d,
                        diff(DeclaredSchedule.parseSpecText(actionMemo(e, Names.MEMO_SPEC)), d.canonical())));
            }
        }
        // Visibility (the list) can lag a moment behind; describe above is authoritative for declared ids.
        List<ScheduleListDescription> all = conn.schedules().listSchedules(100).collect(Collectors.toList());
        for (ScheduleListDescription s : all) {
            if (declared.containsKey(s.getScheduleId())) {
                continue;
            }
            Object managedBy = s.getMemo(Names.MEMO_MANAGED_BY, String.class);
            if (Names.MANAGED_BY_VALUE.equals(managedBy)) {
                Object source = s.getMemo(Names.MEMO_SOURCE, String.class);
                plan.add(new Change(
                        Kind.DELETE,
                        s.getScheduleId(),
                        null,
                        "managed, no longer declared" + (source == null ? "" : " (was in " + source + ")")));
            } else {
                plan.add(new Change(Kind.LEAVE, s.getScheduleId(), null, "not managed by clawfactory; left alone"));
            }
        }
        plan.sort((a, b) -> a.id().compareTo(b.id()));
        return plan;
    }

    /** Applies one planned change. */
    void apply(Change c) {
        switch (c.kind()) {
            case CREATE ->
                conn.schedules()
                        .createSchedule(
                                c.id(),
                                c.declared().toSchedule(c.declared().declaredState()),
                                ScheduleOptions.newBuilder()
                                        .setMemo(c.declared().scheduleMemo())
                                        .build());
            case UPDATE -> update(c.declared());
            case DELETE -> {
                // Confirm the marker on the authoritative copy before deleting.
                ScheduleDescription e = describe(c.id()).orElse(null);
                if (e != null && Names.MANAGED_BY_VALUE.equals(memo(e, Names.MEMO_MANAGED_BY))) {
                    conn.schedules().getHandle(c.id()).delete();
                }
            }
            default -> {}
        }
    }

    /** One atomic update of spec, action (with the new hash in its memo), policies and state. */
    private void update(DeclaredSchedule d) {
        conn.schedules().getHandle(d.id()).update(input -> {
            ScheduleDescription current = input.getDescription();
            Map<String, String> previous = DeclaredSchedule.parseSpecText(actionMemo(current, Names.MEMO_SPEC));
            // A pause or note set by an operator survives a sync unless the file's own `paused` changed.
            ScheduleState state = d.canonical().get("paused").equals(previous.get("paused"))
                    ? current.getSchedule().getState()
                    : d.declaredState();
            return new ScheduleUpdate(d.toSchedule(state));
        });
    }

    Optional<ScheduleDescription> describe(String id) {
        try {
            return Optional.of(conn.schedules().getHandle(id).describe());
        } catch (RuntimeException e) {
            if (Failures.isNotFound(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A one-shot schedule that has used its one action. */
    private static boolean ran(ScheduleDescription e) {
        ScheduleState state = e.getSchedule().getState();
        return state != null
                && state.isLimitedAction()
                && state.getRemainingActions() == 0
                && e.getInfo() != null
                && e.getInfo().getNumActions() > 0;
    }

    /** A value of the schedule's own memo. */
    static String memo(ScheduleDescription d, String key) {
        Object v = d.getMemo(key, String.class);
        return v == null ? null : v.toString();
    }

    /** A value of the memo of the workflows the schedule starts (where the content hash lives). */
    static String actionMemo(ScheduleDescription d, String key) {
        if (!(d.getSchedule().getAction() instanceof ScheduleActionStartWorkflow a)
                || a.getOptions().getMemo() == null) {
            return null;
        }
        Object v = a.getOptions().getMemo().get(key);
        if (v instanceof EncodedValues ev) {
            return ev.getSize() == 0 ? null : ev.get(0, String.class);
        }
        if (v instanceof Payload p) {
            return DataConverter.getDefaultInstance().fromPayload(p, String.class, String.class);
        }
        return v == null ? null : v.toString();
    }

    /** {@code field: old → new} for each field that differs. */
    static String diff(Map<String, String> before, Map<String, String> after) {
        if (before.isEmpty()) {
            return "no spec recorded on the server; rewriting it from the file";
        }
        List<String> changes = new ArrayList<>();
        for (String key : new TreeMap<>(after).keySet()) {
            String was = before.get(key);
            String now = after.get(key);
            if (!now.equals(was)) {
                changes.add(key + ": " + show(was) + " -> " + show(now));
            }
        }
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                changes.add(key + ": " + show(before.get(key)) + " -> (none)");
            }
        }
        return changes.isEmpty() ? "content hash differs" : String.join("; ", changes);
    }

    private static String show(String v) {
        return v == null ? "(none)" : v.isEmpty() ? "\"\"" : v;
    }
}
