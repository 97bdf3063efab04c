package ai.clawfactory.api.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens the API accepts, read once at start from {@code API_TOKEN_FILE}, else the
 * systemd credential {@code $CREDENTIALS_DIRECTORY/api-token}. One token per line, optionally
 * followed by its scopes: {@code TOKEN} or {@code TOKEN read,operate,decide}; blank lines and
 * lines starting with {@code #} are skipped. A line without scopes gets {@link Scope#DEFAULT}.
 * <p>
 * Read when the context starts ({@link Context}): without a token the API does not start ({@link TokenFileException}, one line saying what to
 * do). Tokens are compared in constant time, as SHA-256 digests of equal length, every token
 * every time; they are never logged, and {@link #toString()} says only how many there are.
 */
@Context
public final class ApiTokens {

    /** The systemd credential ({@code LoadCredential=api-token:PATH}) read when API_TOKEN_FILE is unset. */
    public static final String CREDENTIAL = "api-token";

    /** Shortest token accepted: a guessable token is worse than none. */
    static final int MIN_LENGTH = 16;

    /** A token as its file holds it: its digest, its scopes and its name ({@link #label}). */
    private record Entry(byte[] digest, Set<Scope> scopes, String label) {}

    private final List<Entry> entries;

    ApiTokens(@Value("${api.token-file:}") String tokenFile) {
        this(load(tokenFile, System.getenv()));
    }

    private ApiTokens(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * The tokens as the process's environment names them (API_TOKEN_FILE, CREDENTIALS_DIRECTORY):
     * the start-up check that refuses to start before anything else happens.
     *
     * @throws TokenFileException with the one line to show
     */
    public static ApiTokens fromEnvironment() {
        return new ApiTokens(load(System.getenv("API_TOKEN_FILE"), System.getenv()));
    }

    /** The scopes of {@code presented}, or empty when it is no token of ours. */
    public Optional<Set<Scope>> scopes(String presented) {
        byte[] digest = sha256(presented);
        Set<Scope> found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
                found = e.scopes();
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The name of {@code presented} as this API knows it: {@code token N}, the Nth token of the
     * file (its line among the tokens), never the token or any part or hash of it; empty when it is
     * no token of ours. Approvals record it as who decided.
     */
    public Optional<String> label(String presented) {
        byte[] digest = sha256(presented);
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
                found = e.label();
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public String toString() {
        return entries.size() + " API token" + (entries.size() == 1 ? "" : "s");
    }

    /** The file to read: {@code tokenFile} when set, else the credential; throws when neither is there. */
    static Path tokenFile(String tokenFile, Map<String, String> env) {
        if (tokenFile != null && !tokenFile.isBlank()) {
            return Path.of(tokenFile);
        }
        String credentials = env.get("CREDENTIALS_DIRECTORY");
        if (credentials != null && !credentials.isBlank() && Files.isReadable(Path.of(credentials, CREDENTIAL))) {
            return Path.of(credentials, CREDENTIAL);
        }
        throw new TokenFileException("No API token: set API_TOKEN_FILE to a file holding one (at least " + MIN_LENGTH
                + " characters, e.g. from `openssl rand -hex 32`), or load the systemd credential " + CREDENTIAL
                + " (LoadCredential=" + CREDENTIAL + ":/etc/clawfactory/api-token). The API does not run open.");
    }

    private static List<Entry> load(String tokenFile, Map<String, String> env) {
        Path file = tokenFile(tokenFile, env);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenFileException("The API token file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "). Check API_TOKEN_FILE and the file's owner and mode.");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file + ":" + (i + 1);
            if (parts.length > 2) {
                throw new TokenFileException(where + " has " + parts.length + " words; a line is TOKEN or TOKEN SCOPES"
                        + " (scopes comma-separated, from read, operate, decide).");
            }
            if (parts[0].length() < MIN_LENGTH) {
                throw new TokenFileException(where + ": the token has fewer than " + MIN_LENGTH
                        + " characters. Use a random one, e.g. from `openssl rand -hex 32`.");
            }
            Set<Scope> scopes = parts.length == 1 ? Scope.DEFAULT : scopes(parts[1], where);
            entries.add(new Entry(
                    sha256(parts[0]), Collections.unmodifiableSet(scopes), "api token " + (entries.size() + 1)));
        }
        if (entries.isEmpty()) {
            throw new TokenFileException("The API token file " + file + " holds no token. Write one per line "
                    + "(TOKEN, or TOKEN read,operate,decide).");
        }
        return List.copyOf(entries);
    }

    private static Set<Scope> scopes(String words, String where) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String w : words.split(",")) {
            Scope s = Scope.of(w.strip());
            if (s == null) {
                // The word is not echoed: a line that is wrong may be a token split in two.
                throw new TokenFileException(where + ": a scope is not one of read, operate, decide.");
            }
            scopes.add(s);
        }
        return scopes;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API cannot start with these tokens; the message is the one line the operator sees. */
    public static final class TokenFileException extends RuntimeException {
        TokenFileException(String message) {
            super(message, null, false, false);
        }
    }
}
