package ai.clawfactory.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python worker's virtual environment: made once from {@code requirements.txt} (pinned
 * versions from PyPI) and reused while that file and the interpreter are the same. A stamp file,
 * written last, tells a finished environment from one a killed run left half made.
 */
final class PythonEnv {

    private static final Logger LOG = LoggerFactory.getLogger(PythonEnv.class);
    static final String STAMP = ".clawfactory-bench-stamp";

    /** A ready environment: its interpreter, the worker script, and what it runs. */
    record Installed(Path python, Path worker, String pythonVersion, String temporalio, String httpx) {}

    private PythonEnv() {}

    /**
     * Makes or reuses the venv at {@code venv} for the worker in {@code dir} ({@code worker.py},
     * {@code requirements.txt}), with {@code basePython} (e.g. {@code python3}); pip's output goes to {@code log}.
     */
    static Installed ensure(String basePython, Path dir, Path venv, Path log) throws InterruptedException {
        Path worker = dir.resolve("worker.py");
        Path requirements = dir.resolve("requirements.txt");
        for (Path f : List.of(worker, requirements)) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalStateException(
                        "the Python worker's " + f + " is missing (--python-dir names the folder "
                                + "with worker.py and requirements.txt; ./clawfactory bench runs from the project root)");
            }
        }
        String baseVersion = run(
                        log,
                        "find the Python interpreter",
                        List.of(
                                basePython,
                                "-c",
                                "import sys; assert sys.version_info >= (3, 10), 'temporalio needs Python 3.10 or later, this is ' + sys.version;"
                                        + " import venv; print(sys.version.split()[0])"),
                        "the bench's Python column needs " + basePython
                                + " (Python 3.10 or later, with its venv module: "
                                + "apt-get install python3-venv), or --python PATH to such an interpreter")
                .trim();
        String stamp = stamp(read(requirements), baseVersion);
        Path python = venv.resolve("bin").resolve("python");
        if (!(Files.isExecutable(python) && stamp.equals(readOrEmpty(venv.resolve(STAMP))))) {
            LOG.info(
                    "Making the Python worker's venv {} (Python {}, {} from PyPI; about half a minute, once)",
                    venv,
                    baseVersion,
                    requirements);
            deleteTree(venv);
            run(
                    log,
                    "make the venv",
                    List.of(basePython, "-m", "venv", venv.toString()),
                    "is the venv module installed (apt-get install python3-venv)?");
            run(
                    log,
                    "install the Python worker's packages",
                    List.of(
                            python.toString(),
                            "-m",
                            "pip",
                            "install",
                            "--disable-pip-version-check",
                            "--no-input",
                            "--only-binary=:all:",
                            "-r",
                            requirements.toString()),
                    "PyPI must be reachable to make the venv once (pip's output is in " + log + ")");
            write(venv.resolve(STAMP), stamp);
        }
        String[] versions = run(
                        log,
                        "check the venv",
                        List.of(
                                python.toString(),
                                "-c",
                                "import importlib.metadata as m, sys, temporalio, httpx; "
                                        + "print(sys.version.split()[0], m.version('temporalio'), m.version('httpx'))"),
                        "delete " + venv + " and run the bench again to make it anew")
                .trim()
                .split("\\s+");
        LOG.info(
                "Python worker: CPython {}, temporalio {}, httpx {} ({})", versions[0], versions[1], versions[2], venv);
        return new Installed(python, worker.toAbsolutePath(), versions[0], versions[1], versions[2]);
    }

    /** What the venv was made from: the requirements and the base interpreter's version. */
    static String stamp(String requirements, String pythonVersion) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((pythonVersion + "\n" + requirements).getBytes(StandardCharsets.UTF_8));
            return "python " + pythonVersion + ", requirements sha256 "
                    + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code cmd} (output appended to {@code log}); its standard output, or a clear error with {@code hint}. */
    private static String run(Path log, String what, List<String> cmd, String hint) throws InterruptedException {
        Path captured = log.resolveSibling(log.getFileName() + ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(cmd))
                    .redirectErrorStream(true)
                    .redirectOutput(captured.toFile())
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        "cannot " + what + ": `" + String.join(" ", cmd) + "` took over 10 minutes; " + hint);
            }
            String output = readOrEmpty(captured);
            Files.deleteIfExists(captured);
            Files.writeString(
                    log,
                    "$ " + String.join(" ", cmd) + "\n" + output,
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("cannot " + what + ": `" + String.join(" ", cmd) + "` exited with "
                        + p.exitValue() + "; " + hint + ". Its output ends:\n"
                        + output.substring(Math.max(0, output.length() - 2000)));
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot " + what + ": `" + String.join(" ", cmd) + "` did not start (" + e.getMessage() + "); "
                            + hint,
                    e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    private static String readOrEmpty(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Path f, String text) {
        try {
            Files.writeString(f, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f, e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
