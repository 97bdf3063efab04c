package ai.clawfactory.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One line about the machine a run measured: processor, cores, memory, OS, JVM, Temporal. */
final class Machine {

    private Machine() {}

    static String describe(Path temporalCli, Path workerJava) {
        String cpu = firstMatch(read("/proc/cpuinfo"), "^model name\\s*:\\s*(.+)$", "unknown processor");
        String memKiB = firstMatch(read("/proc/meminfo"), "^MemTotal:\\s+(\\d+) kB", "0");
        String os = firstMatch(read("/etc/os-release"), "^PRETTY_NAME=\"?([^\"]+)\"?$", System.getProperty("os.name"));
        String own = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String java = workerJava.toString().equals(own)
                ? String.format("Java %s (%s)", System.getProperty("java.version"), System.getProperty("java.vm.name"))
                : "workers on " + firstLine(workerJava.toString(), "-version") + " (" + workerJava
                        + "), harness on Java " + System.getProperty("java.version");
        return String.format(
                "%s, %d cores, %.1f GiB; %s; %s; %s",
                cpu.trim(),
                Runtime.getRuntime().availableProcessors(),
                Long.parseLong(memKiB) / 1024.0 / 1024.0,
                os,
                java,
                temporalVersion(temporalCli));
    }

    /** The load average ({@code /proc/loadavg}): the machine is shared, and a loaded one skews every figure. */
    static String loadNote() {
        String avg = read("/proc/loadavg").trim();
        String[] f = avg.split("\\s+");
        return f.length >= 3
                ? "load average " + f[0] + " " + f[1] + " " + f[2] + " on "
                        + Runtime.getRuntime().availableProcessors() + " cores"
                : "load average unknown";
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("unknown java");
        } catch (IOException e) {
            return "unknown java";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown java";
        }
    }

    private static String temporalVersion(Path cli) {
        try {
            Process p = new ProcessBuilder(cli.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "temporal (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "temporal (version unknown)";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    private static String firstMatch(String text, String regex, String fallback) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        return m.find() ? m.group(1) : fallback;
    }
}
