package ai.clawfactory.worker.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc's native library, loaded from a copy kept in the launcher's cache folder instead of
 * being extracted again at every start.
 *
 * <p>Left alone, sqlite-jdbc writes its 1 MiB library for this platform to a fresh file in
 * {@code java.io.tmpdir} on every start and compares it with the jar's byte by byte: about a
 * tenth of a second of the worker's start-up on two cores (docs/JVM-LEVERS.md). The launcher
 * ({@code clawfactory-java}) names the folder it keeps the class-data archive in
 * ({@value #CACHE_DIR_PROPERTY}); the library is copied there once per sqlite-jdbc version and
 * checked against the jar entry's size and CRC on every start, so a damaged or stale copy is
 * replaced, not loaded. Nothing here is fatal: without the folder, or when it cannot be written,
 * sqlite-jdbc extracts the library as before. A library path set by the user
 * ({@code -Dorg.sqlite.lib.path}) wins.
 */
public final class SqliteNativeLibrary {

    /** The folder the launcher passes (its CDS_DIR): the service's own state folder under systemd. */
    public static final String CACHE_DIR_PROPERTY = "clawfactory.cache-dir";

    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private static final Logger LOG = LoggerFactory.getLogger(SqliteNativeLibrary.class);

    private SqliteNativeLibrary() {}

    /** Points sqlite-jdbc at the cached copy in {@value #CACHE_DIR_PROPERTY}, made first if needed. */
    public static synchronized void useCachedCopy() {
        String dir = System.getProperty(CACHE_DIR_PROPERTY);
        if (dir == null || dir.isBlank() || System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        try {
            Path library = copyInto(Path.of(dir));
            if (library != null) {
                System.setProperty(PATH_PROPERTY, library.getParent().toString());
                System.setProperty(NAME_PROPERTY, library.getFileName().toString());
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("sqlite-jdbc extracts its native library itself: no copy in {} ({})", dir, e.toString());
        }
    }

    /**
     * The library for this platform in {@code dir}, as {@code sqlite-<version>-<crc>-<name>}: the
     * file already there when its size and CRC match the jar's entry, else a fresh copy (written
     * beside it and moved into place, so two processes starting at once never see half a file);
     * copies of other versions are removed. Null when sqlite-jdbc has no library for this
     * platform in a jar (it then fails or falls back as it would anyway).
     */
    static Path copyInto(Path dir) throws IOException {
        String name = LibraryLoaderUtil.getNativeLibName();
        URL url = SQLiteJDBCLoader.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
        if (url == null) {
            return null;
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar)) {
            return null;
        }
        ZipEntry entry = jar.getJarEntry();
        if (entry.getSize() < 0 || entry.getCrc() < 0) {
            return null;
        }
        String prefix = "sqlite-" + SQLiteJDBCLoader.getVersion() + "-";
        Path target = dir.resolve(prefix + Long.toHexString(entry.getCrc()) + "-" + name);
        if (intact(target, entry)) {
            return target;
        }
        Path partial = Files.createTempFile(dir, prefix, ".partial");
        try {
            try (InputStream in = connection.getInputStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!intact(partial, entry)) {
                throw new IOException("the copy of " + url + " does not match the jar's entry");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "sqlite-*-" + name)) {
            for (Path f : old) {
                if (!f.equals(target)) {
                    // A process still running with it keeps its mapping; the next start uses the new one.
                    Files.deleteIfExists(f);
                }
            }
        }
        return target;
    }

    private static boolean intact(Path file, ZipEntry entry) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != entry.getSize()) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(file));
        return crc.getValue() == entry.getCrc();
    }
}
