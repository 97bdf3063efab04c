package ai.clawfactory.worker.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {

    @TempDir
    Path dir;

    private static byte[] jarLibrary() throws Exception {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
            assertNotNull(in, "sqlite-jdbc has a native library for this platform");
            return in.readAllBytes();
        }
    }

    @Test
    void theLibraryIsCopiedOnceAndKeptWhileItMatchesTheJar() throws Exception {
        Path library = SqliteNativeLibrary.copyInto(dir);
        assertNotNull(library);
        assertEquals(dir, library.getParent());
        assertTrue(
                library.getFileName().toString().startsWith("sqlite-" + SQLiteJDBCLoader.getVersion() + "-"),
                library.toString());
        assertArrayEquals(jarLibrary(), Files.readAllBytes(library));

        FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, marked);
        assertEquals(library, SqliteNativeLibrary.copyInto(dir));
        assertEquals(marked, Files.getLastModifiedTime(library), "an intact copy is not written again");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no partial copy left behind");
        }
    }

    @Test
    void aDamagedCopyIsReplacedNotLoaded() throws Exception {
        Path library = SqliteNativeLibrary.copyInto(dir);
        byte[] bytes = Files.readAllBytes(library);
        bytes[bytes.length / 2] ^= 0x5a; // same size, other content: only the CRC tells
        Files.write(library, bytes);
        assertEquals(library, SqliteNativeLibrary.copyInto(dir));
        assertArrayEquals(jarLibrary(), Files.readAllBytes(library));
    }

    @Test
    void copiesOfOtherVersionsAreRemovedOthersKept() throws Exception {
        String name = LibraryLoaderUtil.getNativeLibName();
        Path stale = Files.writeString(dir.resolve("sqlite-3.0.0.0-1234abcd-" + name), "an older version");
        Path archive = Files.writeString(dir.resolve("clawfactory-worker-42.jsa"), "the class-data archive");
        Path library = SqliteNativeLibrary.copyInto(dir);
        assertFalse(Files.exists(stale), "stale copy removed");
        assertTrue(Files.exists(archive), "the launcher's archive is not ours to remove");
        assertTrue(Files.exists(library));
    }

    @Test
    void withoutAWritableFolderSqliteJdbcIsLeftToExtractItself() {
        String before = System.getProperty(SqliteNativeLibrary.CACHE_DIR_PROPERTY);
        System.setProperty(
                SqliteNativeLibrary.CACHE_DIR_PROPERTY, dir.resolve("missing").toString());
        try {
            SqliteNativeLibrary.useCachedCopy();
            assertNull(System.getProperty(SqliteNativeLibrary.PATH_PROPERTY));
            assertNull(System.getProperty(SqliteNativeLibrary.NAME_PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(SqliteNativeLibrary.CACHE_DIR_PROPERTY);
            } else {
                System.setProperty(SqliteNativeLibrary.CACHE_DIR_PROPERTY, before);
            }
        }
    }
}
