package ai.clawfactory.schedules;

import ai.clawfactory.core.Names;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.EncodedValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
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

    /**
     * Calls to Temporal in flight at once while planning and applying: the server shares the 2-core VM,
     * and more than this gained nothing there (docs/BENCHMARKS.md, "How cost grows").
     */
    static final int PARALLEL = 4;

    /** Schedules per listing page: the frontend's default maximum, so 1,000 schedules are one page. */
    static final int LIST_PAGE = 1000;

    private final TemporalOptions.Connection conn;
    private final java.util.function.Supplier<java.time.Instant> clock;
    private final boolean hashIndexed;

    /** For reading only (describe, plan without the hash index). */
    Reconciler(TemporalOptions.Connection conn) {
        this(conn, false);
    }

    /**
     * @param hashIndexed whether the namespace has {@link Names#SEARCH_ATTRIBUTE_SPEC_HASH}: schedules
     *     carry their hash there and the plan trusts the listing for unchanged ones
     */
    Reconciler(TemporalOptions.Connection conn, boolean hashIndexed) {
        this(conn, hashIndexed, java.time.Instant::now);
    }

    Reconciler(
            TemporalOptions.Connection conn,
            boolean hashIndexed,
            java.util.function.Supplier<java.time.Instant> clock) {
        this.conn = conn;
        this.hashIndexed = hashIndexed;
        this.clock = clock;
    }

    /**
     * Reads what the server holds and returns what sync would do; changes nothing. One listing says
     * which schedules exist and, where the namespace has {@link Names#SEARCH_ATTRIBUTE_SPEC_HASH}, which
     * are unchanged; only the others are described (the authoritative read), {@link #PARALLEL} at a time.
     */
    List<Change> plan(Map<String, DeclaredSchedule> declared) {
        return plan(declared, list(conn));
    }

    /** The server's schedules by id, from one listing (pages of {@link #LIST_PAGE}). */
    static Map<String, ScheduleListDescription> list(TemporalOptions.Connection conn) {
        Map<String, ScheduleListDescription> listed = new LinkedHashMap<>();
        conn.schedules().listSchedules(LIST_PAGE).forEach(s -> listed.put(s.getScheduleId(), s));
        return listed;
    }

    /** {@link #plan(Map)} against a listing already made by {@link #list}. */
    List<Change> plan(Map<String, DeclaredSchedule> declared, Map<String, ScheduleListDescription> listed) {
        List<DeclaredSchedule> sorted = new ArrayList<>(new TreeMap<>(declared).values());
        List<Change> plan = new ArrayList<>(inParallel(sorted, d -> planOne(d, listed.get(d.id()))));
        for (ScheduleListDescription s : listed.values()) {
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

    private Change planOne(DeclaredSchedule d, ScheduleListDescription listed) {
        // A one-shot that may have run needs its state (describe); the listing has no action count.
        boolean mayHaveRun = d.definition().oneShot() && d.definition().deleteAfterRun();
        if (listed != null
                && !mayHaveRun
                && Names.MANAGED_BY_VALUE.equals(listed.getMemo(Names.MEMO_MANAGED_BY, String.class))
                && d.hash().equals(listedHash(listed))) {
            return new Change(Kind.KEEP, d.id(), d, "unchanged");
        }
        // Not listed may still exist (visibility can lag a moment behind): describe is authoritative.
        Optional<ScheduleDescription> existing = describe(d.id());
        // A schedule created after its one instant would never fire (catch-up covers only times it existed for).
        boolean over =
                d.definition().oneShot() && !clock.get().isBefore(d.definition().at());
        if (existing.isEmpty()) {
            if (over) {
                return new Change(
                        Kind.PASSED,
                        d.id(),
                        d,
                        "one-shot at " + d.definition().at() + " is over; not created (remove " + d.source()
                                + " when you no longer need it)");
            }
            return new Change(Kind.CREATE, d.id(), d, d.workflowType() + ", " + d.when() + " (" + d.source() + ")");
        }
        ScheduleDescription e = existing.get();
        boolean managed = Names.MANAGED_BY_VALUE.equals(memo(e, Names.MEMO_MANAGED_BY));
        if (managed && mayHaveRun && ran(e)) {
            return new Change(
                    Kind.DELETE, d.id(), d, "one-shot ran at " + d.definition().at() + "; deleteAfterRun");
        }
        if (!managed) {
            return new Change(
                    Kind.CONFLICT,
                    d.id(),
                    d,
                    "a schedule with this id exists but was not made by "
                            + "clawfactory-schedules (made by hand?). Rename schedule.id in " + d.source()
                            + ", or delete the existing one with: schedules delete " + d.id() + " --force");
        }
        if (d.hash().equals(actionMemo(e, Names.MEMO_SPEC_HASH))) {
            return new Change(Kind.KEEP, d.id(), d, "unchanged");
        }
        return new Change(
                Kind.UPDATE,
                d.id(),
                d,
                diff(DeclaredSchedule.parseSpecText(actionMemo(e, Names.MEMO_SPEC)), d.canonical()));
    }

    /** The content hash the listing carries in the schedule's search attribute, or null. */
    static String listedHash(ScheduleListDescription s) {
        Object v = s.getSearchAttributes().get(Names.SEARCH_ATTRIBUTE_SPEC_HASH);
        if (v instanceof List<?> values) {
            v = values.isEmpty() ? null : values.get(0);
        }
        return v == null ? null : v.toString();
    }

    /** The search attributes a created or updated schedule carries: its hash, where the namespace has it. */
    private SearchAttributes attributes(DeclaredSchedule d) {
        return hashIndexed
                ? SearchAttributes.newBuilder()
                        .set(SearchAttributeKey.forKeyword(Names.SEARCH_ATTRIBUTE_SPEC_HASH), d.hash())
                        .build()
                : null;
    }

    /**
     * {@code work} applied to each item, {@link #PARALLEL} at a time, results in the items' order. The
     * first exception (in the items' order) is rethrown once all have finished.
     */
    static <T, R> List<R> inParallel(List<T> items, Function<T, R> work) {
        if (items.size() < 2) {
            return items.stream().map(work).collect(Collectors.toList());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, items.size()));
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(false));
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return results;
        } finally {
            pool.shutdown();
        }
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
                                        .setTypedSearchAttributes(attributes(c.declared()))
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
            return new ScheduleUpdate(d.toSchedule(state), attributes(d));
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
