package ai.clawfactory.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flags {@code systemd/clawfactory-java} (the launcher of the worker unit and of {@code ./clawfactory
 * dev}) adds by the JVM's version: it is run against a fake JDK whose {@code release} file names
 * the version and whose {@code bin/java} prints the arguments it was given, one a line.
 */
class LauncherFlagsTest {

    private static final Path LAUNCHER = Path.of("../systemd/clawfactory-java");

    @TempDir
    Path dir;

    @Test
    void java25GetsTheNativeHeapTrimmer() throws Exception {
        List<String> args = launch("25.0.3", "-Xmx256m -XX:+UseG1GC");
        assertTrue(args.contains("-XX:TrimNativeHeapInterval=2000"), args.toString());
        assertEquals(List.of("-Xmx256m", "-XX:+UseG1GC"), args.subList(0, 2), "JAVA_OPTS come first, as given");
        assertEquals(List.of("-jar", jar().toString()), args.subList(args.size() - 2, args.size()));
    }

    @Test
    void java17And21DoNotGetIt() throws Exception {
        // Before 23 the flag is not a product flag in every update; a JVM that does not know it
        // refuses to start.
        for (String version : List.of("17.0.15", "21.0.5")) {
            List<String> args = launch(version, "-Xmx256m");
            assertFalse(args.stream().anyMatch(a -> a.startsWith("-XX:TrimNativeHeapInterval")), version + ": " + args);
        }
    }

    @Test
    void anIntervalInJavaOptsIsKeptAsGiven() throws Exception {
        List<String> args = launch("25.0.3", "-XX:TrimNativeHeapInterval=0 -Xmx256m");
        assertEquals(
                List.of("-XX:TrimNativeHeapInterval=0"),
                args.stream()
                        .filter(a -> a.startsWith("-XX:TrimNativeHeapInterval"))
                        .toList());
    }

    @Test
    void theCacheFolderIsNamedToTheApplication() throws Exception {
        // The worker keeps sqlite-jdbc's native library beside the class-data archive (SqliteNativeLibrary).
        Path cache = Files.createDirectories(dir.resolve("cache"));
        List<String> args = launch("25.0.3", "-Xmx256m", cache);
        assertTrue(args.contains("-Dclawfactory.cache-dir=" + cache), args.toString());
        assertTrue(args.indexOf("-Dclawfactory.cache-dir=" + cache) < args.indexOf("-jar"), args.toString());
        assertFalse(
                launch("25.0.3", "-Xmx256m").stream().anyMatch(a -> a.startsWith("-Dclawfactory.cache-dir")),
                "no CDS_DIR, no cache folder");
    }

    private Path jar() {
        return dir.resolve("worker.jar");
    }

    /** The arguments the launcher passes to a fake JDK of {@code version}, with {@code JAVA_OPTS}. */
    private List<String> launch(String version, String javaOpts) throws IOException, InterruptedException {
        return launch(version, javaOpts, null);
    }

    /** The same with {@code CDS_DIR} set to {@code cdsDir} (null: unset). */
    private List<String> launch(String version, String javaOpts, Path cdsDir) throws IOException, InterruptedException {
        Path home = dir.resolve("jdk-" + version);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(jar(), "not a jar: the fake java never opens it");
        ProcessBuilder pb =
                new ProcessBuilder(LAUNCHER.toAbsolutePath().toString(), jar().toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_BIN", java.toString());
        env.put("JAVA_OPTS", javaOpts);
        if (cdsDir == null) {
            env.remove("CDS_DIR");
        } else {
            env.put("CDS_DIR", cdsDir.toString());
        }
        env.remove("JAVA_COMPACT_HEADERS");
        env.remove("JAVA_AOT_CACHE");
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not return within 30 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
