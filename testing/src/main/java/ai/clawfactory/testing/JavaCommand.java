package ai.clawfactory.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of a {@code java} command line for a child JVM: this JVM's own {@code java} binary,
 * plus, on Java 24 and later, the two flags {@code ./clawfactory} and {@code systemd/clawfactory-java}
 * pass, so a test that reads a jar's output sees what a user sees and not the JDK's warnings about
 * Netty's {@code sun.misc.Unsafe} use and native library loading.
 */
public final class JavaCommand {
    private JavaCommand() {}

    /** {@code [java, flags...]}, to which the caller adds its own JVM arguments and {@code -jar}. */
    public static List<String> java() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        return cmd;
    }
}
