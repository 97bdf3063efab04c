package ai.clawfactory.api.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
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
@Requires(notEnv = "mcp-stdio") // the stdio MCP server needs no API token
@Context
public final class ApiTokens {

    /** The systemd credential ({@code LoadCredential=api-token:PATH}) read when API_TOKEN_FILE is unset. */
    public static final String CREDENTIAL = "api-token";

    /** Shortest token accepted: a guessable token is worse than none. */
    static final int MIN_LENGTH = 16;

    /** Where a set of tokens comes from: the API's own, or the MCP server's. */
    public record Source(String what, String variable, String credential) {}

    /** The runs API's tokens: API_TOKEN_FILE or the credential api-token. */
    public static final Source API = new Source("API", "API_TOKEN_FILE", CREDENTIAL);

    /** The MCP server's tokens: MCP_TOKEN_FILE or the credential mcp-token. */
    public static final Source MCP = new Source("MCP", "MCP_TOKEN_FILE", "mcp-token");

    /**
     * A token found: its label (the credential's name and the token's line, e.g. {@code
     * mcp-token#2}, never any part of the token) and its scopes.
     */
    public record Token(String label, Set<Scope> scopes) {}

    private record Entry(byte[] digest, Token token) {}

    private final List<Entry> entries;

    ApiTokens(@Value("${api.token-file:}") String tokenFile) {
        this(load(API, tokenFile, System.getenv()));
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
        return new ApiTokens(load(API, System.getenv(API.variable()), System.getenv()));
    }

    /**
     * The tokens of {@code source} when it is configured ({@code tokenFile} set, or its credential
     * loaded), else empty: the MCP server runs only with a token of its own.
     *
     * @throws TokenFileException when it is configured but cannot be used
     */
    public static Optional<ApiTokens> ifConfigured(Source source, String tokenFile, Map<String, String> env) {
        if ((tokenFile == null || tokenFile.isBlank()) && credential(source, env) == null) {
            return Optional.empty();
        }
        return Optional.of(new ApiTokens(load(source, tokenFile, env)));
    }

    /**
     * The scopes of the first line of {@code source}'s file, for a local client that presents no
     * token (the stdio MCP server), or empty when it is not configured.
     */
    public Set<Scope> firstScopes() {
        return entries.get(0).token().scopes();
    }

    /** The scopes of {@code presented}, or empty when it is no token of ours. */
    public Optional<Set<Scope>> scopes(String presented) {
        return find(presented).map(Token::scopes);
    }

    /** The token an {@code Authorization: Bearer TOKEN} header presents, or empty (no header, another scheme, not ours). */
    public Optional<Token> fromHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return find(authorization.substring(7).strip());
    }

    /** The token {@code presented} is, with its label and scopes, or empty when it is no token of ours. */
    public Optional<Token> find(String presented) {
        byte[] digest = sha256(presented);
        Token found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest(), digest) && found == null) {
                found = e.token();
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
        return tokenFile(API, tokenFile, env);
    }

    static Path tokenFile(Source source, String tokenFile, Map<String, String> env) {
        if (tokenFile != null && !tokenFile.isBlank()) {
            return Path.of(tokenFile);
        }
        Path credential = credential(source, env);
        if (credential != null) {
            return credential;
        }
        throw new TokenFileException("No " + source.what() + " token: set " + source.variable()
                + " to a file holding one (at least " + MIN_LENGTH
                + " characters, e.g. from `openssl rand -hex 32`), or load the systemd credential "
                + source.credential() + " (LoadCredential=" + source.credential() + ":/etc/clawfactory/"
                + source.credential() + "). The " + source.what() + " does not run open.");
    }

    /** The credential's file when systemd loaded it, else null. */
    private static Path credential(Source source, Map<String, String> env) {
        String credentials = env.get("CREDENTIALS_DIRECTORY");
        if (credentials != null
                && !credentials.isBlank()
                && Files.isReadable(Path.of(credentials, source.credential()))) {
            return Path.of(credentials, source.credential());
        }
        return null;
    }

    private static List<Entry> load(Source source, String tokenFile, Map<String, String> env) {
        Path file = tokenFile(source, tokenFile, env);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenFileException("The " + source.what() + " token file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "). Check " + source.variable()
                    + " and the file's owner and mode.");
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
            String label = source.credential() + "#" + (i + 1);
            entries.add(new Entry(sha256(parts[0]), new Token(label, Collections.unmodifiableSet(scopes))));
        }
        if (entries.isEmpty()) {
            throw new TokenFileException("The " + source.what() + " token file " + file
                    + " holds no token. Write one per line " + "(TOKEN, or TOKEN read,operate,decide).");
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
