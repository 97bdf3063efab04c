package ai.clawfactory.schedules;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the schedules CLI in-process, as a user would type it, and captures what it prints. */
record Cli(String address) {

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code args}, adding {@code --address} for every command that talks to the server. */
    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (address != null && !all.isEmpty() && !all.get(0).equals("validate") && !all.contains("--address")) {
            all.add("--address=" + address);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = SchedulesCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}
