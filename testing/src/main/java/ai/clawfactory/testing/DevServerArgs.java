package ai.clawfactory.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The dev server's arguments as the Temporal unit runs it: its {@code TEMPORAL_DEV_SERVER_ARGS}
 * line (systemd/clawfactory-temporal.service, packaged with this module), which
 * {@code ./clawfactory dev} reads too. The addresses, SQLite pragmas and search attributes come
 * from there; the three ports move together to another gRPC port, so the HTTP API and the UI keep
 * their places beside it (gRPC + 10 and + 1000 in the unit).
 */
public final class DevServerArgs {

    static final String RESOURCE = "clawfactory-temporal.service";
    static final String PREFIX = "Environment=\"TEMPORAL_DEV_SERVER_ARGS=";
    private static final Set<String> PORTS = Set.of("--port", "--http-port", "--ui-port");

    private final List<String> args;
    private final int grpcPort;

    DevServerArgs(List<String> args) {
        this.args = List.copyOf(args);
        this.grpcPort = Integer.parseInt(value("--port"));
    }

    /** The unit's arguments. */
    public static DevServerArgs ofUnit() {
        try (InputStream in = DevServerArgs.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not packaged with the testing module");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The arguments in a unit's text: its one {@code TEMPORAL_DEV_SERVER_ARGS} line. */
    static DevServerArgs parse(String unit) {
        List<String> lines = unit.lines()
                .filter(l -> l.startsWith(PREFIX) && l.endsWith("\""))
                .toList();
        if (lines.size() != 1) {
            throw new IllegalStateException(
                    "expected one line " + PREFIX + "…\" in " + RESOURCE + ", found " + lines.size());
        }
        String line = lines.get(0);
        return new DevServerArgs(Arrays.asList(
                line.substring(PREFIX.length(), line.length() - 1).trim().split("\\s+")));
    }

    /** The value after {@code flag}, e.g. {@code --port}. */
    public String value(String flag) {
        int i = args.indexOf(flag);
        if (i < 0 || i + 1 >= args.size()) {
            throw new IllegalStateException("no " + flag + " in TEMPORAL_DEV_SERVER_ARGS: " + args);
        }
        return args.get(i + 1);
    }

    /** Every value of a repeated flag, e.g. {@code --search-attribute}, in order. */
    public List<String> values(String flag) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals(flag)) {
                out.add(args.get(i + 1));
            }
        }
        return out;
    }

    /** How far above the gRPC port {@code flag}'s port is (the HTTP API's 10, the UI's 1000). */
    public int offset(String flag) {
        return Integer.parseInt(value(flag)) - grpcPort;
    }

    /** The arguments with the three ports moved together so that gRPC is on {@code port}. */
    public List<String> forGrpcPort(int port) {
        List<String> out = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            boolean isPort = i > 0 && PORTS.contains(args.get(i - 1));
            out.add(isPort ? String.valueOf(Integer.parseInt(a) - grpcPort + port) : a);
        }
        return out;
    }
}
