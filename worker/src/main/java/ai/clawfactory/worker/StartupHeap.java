package ai.clawfactory.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands back to the system the heap that start-up grew. Building the context, reading the
 * definitions and connecting leave the heap at 40–55 MiB committed, most of it garbage around a
 * live set of about 15 MiB, and an idle worker allocates too little to collect it soon: the young
 * generation's pages stay resident for as long as the worker idles. One explicit collection once
 * the worker polls shrinks the committed heap to the live set and the {@code MaxHeapFreeRatio}
 * margin (with G1 it then uncommits the freed regions), about 10–14 MiB of resident memory less
 * (docs/JVM-LEVERS.md). It pauses the worker once, for a few tens of milliseconds on a heap of
 * that size; a task that arrives meanwhile waits that long. {@code -XX:+DisableExplicitGC} turns it
 * off.
 */
final class StartupHeap {

    private static final Logger LOG = LoggerFactory.getLogger(StartupHeap.class);
    private static final long MIB = 1024 * 1024;

    private StartupHeap() {}

    /** Collects once and logs (at debug) the committed heap before and after. */
    static void release() {
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory();
        long t0 = System.nanoTime();
        System.gc();
        LOG.debug(
                "Start-up garbage collected in {} ms: heap committed {} -> {} MiB",
                (System.nanoTime() - t0) / 1_000_000,
                before / MIB,
                rt.totalMemory() / MIB);
    }
}
