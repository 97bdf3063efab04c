package ai.clawfactory.schedules;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs the schedules CLI in-process, as a user would type it, and captures what it prints. With
 * an address, every command that talks to the server gets {@code --address}; with a task queue,
 * {@code sync} gets {@code --task-queue} (where the test does not give one).
 */
record Cli(String address, Supplier<String> taskQueue) {

    /** Without a server: for the commands that only read and write files ({@code import}, {@code validate}). */
    static Cli offline() {
        return new Cli(null, () -> null);
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (address != null && !all.isEmpty() && !all.get(0).equals("validate") && !all.contains("--address")) {
            all.add("--address=" + address);
        }
        String queue = taskQueue.get();
        if (queue != null
                && !all.isEmpty()
                && all.get(0).equals("sync")
                && all.stream().noneMatch(a -> a.startsWith("--task-queue"))) {
            all.add("--task-queue=" + queue);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = SchedulesCommand.commandLine();
        // As picocli's own writers on System.out/err: buffered, flushed by println and printf only (and
        // main exits without a flush), so a line written with print alone is lost here as it is there.
        cl.setOut(new PrintWriter(new BufferedWriter(out), true));
        cl.setErr(new PrintWriter(new BufferedWriter(err), true));
        int code = cl.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}
