package ai.clawfactory.worker.temporal;

/**
 * Which threads run workflow code. On Java 21 and later the SDK can run each cached workflow on a
 * virtual thread, so a workflow parked on a timer or a signal holds a few hundred bytes of heap
 * instead of a platform thread (its stack, a kernel thread and a slot of
 * {@code max-workflow-threads}). Older JVMs have no virtual threads: platform threads there.
 */
public final class WorkflowThreads {

    /** The first Java release with virtual threads (JEP 444). */
    static final int VIRTUAL_SINCE = 21;

    private WorkflowThreads() {}

    /**
     * Whether workflows run on virtual threads: {@code wanted} (WORKER_VIRTUAL_THREADS, default
     * true) and a JVM of feature release {@code javaFeature} that has them.
     */
    public static boolean virtual(boolean wanted, int javaFeature) {
        return wanted && javaFeature >= VIRTUAL_SINCE;
    }

    /** {@link #virtual(boolean, int)} for the running JVM. */
    public static boolean virtual(boolean wanted) {
        return virtual(wanted, Runtime.version().feature());
    }

    /** For the start-up line: "virtual" or "platform" threads. */
    public static String describe(boolean virtual) {
        return virtual ? "virtual" : "platform";
    }
}
