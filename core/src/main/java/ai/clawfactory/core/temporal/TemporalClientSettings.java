package ai.clawfactory.core.temporal;

import ai.clawfactory.core.Hosts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import io.temporal.serviceclient.ServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the worker and the schedules CLI reach Temporal: the SDK's standard client configuration
 * ({@link ClientConfigProfile}: a TOML profile from {@code TEMPORAL_CONFIG_FILE} /
 * {@code TEMPORAL_PROFILE}, then {@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE},
 * {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS*} on top, the same names the {@code temporal}
 * CLI reads), plus secrets from files: {@code TEMPORAL_API_KEY_FILE}, else the systemd credential
 * {@code $CREDENTIALS_DIRECTORY/temporal-api-key}; a client key from
 * {@code $CREDENTIALS_DIRECTORY/temporal-tls-client-key} when no path is given.
 * An API key turns TLS on unless {@code TEMPORAL_TLS=false}.
 * <p>
 * Two settings that give the key away are refused unless {@value #ALLOW_INSECURE}{@code =true}
 * opens them (and {@link #describe()} then says so): host verification off without a CA
 * ({@code TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true}: the SDK then trusts any certificate), and
 * an API key without TLS to a host that is not loopback (a local TLS proxy or tunnel is fine).
 * <p>
 * Nothing here ever prints the key: {@link #describe()} says only whether one is set.
 */
public final class TemporalClientSettings {

    /** systemd credential names ({@code LoadCredential=NAME:PATH}) read when no variable names a file. */
    public static final String CREDENTIAL_API_KEY = "temporal-api-key";

    public static final String CREDENTIAL_CLIENT_KEY = "temporal-tls-client-key";

    /** The operator's consent to the insecure settings this class otherwise refuses. */
    public static final String ALLOW_INSECURE = "TEMPORAL_TLS_ALLOW_INSECURE";

    /** Switches read as true or false; the SDK reads any other word as false, so they are refused here. */
    private static final List<String> SWITCHES =
            List.of("TEMPORAL_TLS", "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", ALLOW_INSECURE);

    private final ClientConfigProfile profile;
    private final String address;
    private final String namespace;
    /** What is insecure and was allowed, for the start-up line; null when nothing is. */
    private final String insecure;

    private TemporalClientSettings(ClientConfigProfile profile, String address, String namespace, String insecure) {
        this.profile = profile;
        this.address = address;
        this.namespace = namespace;
        this.insecure = insecure;
    }

    /** From the process environment; the defaults apply where neither a profile nor a variable says. */
    public static TemporalClientSettings fromEnvironment(String defaultAddress, String defaultNamespace) {
        return load(System.getenv(), defaultAddress, defaultNamespace);
    }

    /**
     * From {@code env} (the process environment in production, a map in tests).
     *
     * @throws IllegalArgumentException with one line naming the setting when a file is missing or a profile is bad
     */
    public static TemporalClientSettings load(Map<String, String> env, String defaultAddress, String defaultNamespace) {
        for (String name : SWITCHES) {
            String v = env.get(name);
            if (!isBlank(v) && !v.strip().equalsIgnoreCase("true") && !v.strip().equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(name + " is '" + v + "', not true or false.");
            }
        }
        Map<String, String> effective = new HashMap<>(env);
        effective.remove("TEMPORAL_API_KEY_FILE");
        String keyFile = env.get("TEMPORAL_API_KEY_FILE");
        Optional<Path> credentials = Optional.ofNullable(env.get("CREDENTIALS_DIRECTORY"))
                .filter(s -> !s.isBlank())
                .map(Path::of);
        if (keyFile != null && !keyFile.isBlank()) {
            effective.put("TEMPORAL_API_KEY", readSecret(Path.of(keyFile), "TEMPORAL_API_KEY_FILE"));
        } else if (!env.containsKey("TEMPORAL_API_KEY")
                && credentials.isPresent()
                && Files.isReadable(credentials.get().resolve(CREDENTIAL_API_KEY))) {
            effective.put(
                    "TEMPORAL_API_KEY",
                    readSecret(credentials.get().resolve(CREDENTIAL_API_KEY), "the credential " + CREDENTIAL_API_KEY));
        }
        if (isBlank(env.get("TEMPORAL_TLS_CLIENT_KEY_PATH"))
                && credentials.isPresent()
                && Files.isReadable(credentials.get().resolve(CREDENTIAL_CLIENT_KEY))) {
            effective.put(
                    "TEMPORAL_TLS_CLIENT_KEY_PATH",
                    credentials.get().resolve(CREDENTIAL_CLIENT_KEY).toString());
        }
        for (String name : new String[] {
            "TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_KEY_PATH", "TEMPORAL_TLS_SERVER_CA_CERT_PATH"
        }) {
            String path = effective.get(name);
            if (!isBlank(path) && !Files.isReadable(Path.of(path))) {
                throw new IllegalArgumentException(name + " names " + path + ", which cannot be read.");
            }
        }
        ClientConfigProfile profile;
        try {
            profile = ClientConfigProfile.load(LoadClientConfigProfileOptions.newBuilder()
                    .setEnvOverrides(effective)
                    .build());
        } catch (IOException | RuntimeException e) {
            String file = isBlank(effective.get("TEMPORAL_CONFIG_FILE"))
                    ? "the Temporal config file"
                    : effective.get("TEMPORAL_CONFIG_FILE");
            throw new IllegalArgumentException(
                    "Cannot load the Temporal client profile from " + file + ": " + rootMessage(e));
        }
        String address = isBlank(profile.getAddress()) ? defaultAddress : profile.getAddress();
        String namespace = isBlank(profile.getNamespace()) ? defaultNamespace : profile.getNamespace();
        ClientConfigProfile resolved =
                profile.toBuilder().setAddress(address).setNamespace(namespace).build();
        boolean allowInsecure =
                "true".equalsIgnoreCase(String.valueOf(env.get(ALLOW_INSECURE)).strip());
        TemporalClientSettings settings = new TemporalClientSettings(resolved, address, namespace, null);
        String insecure = settings.insecurity(allowInsecure);
        return insecure == null ? settings : new TemporalClientSettings(resolved, address, namespace, insecure);
    }

    /**
     * What the settings leave open, when the operator allowed it; refuses it otherwise (one line:
     * what, why, and how to fix or allow it).
     */
    private String insecurity(boolean allowed) {
        ClientConfigTLS tls = profile.getTls();
        if (tls()
                && tls != null
                && Boolean.TRUE.equals(tls.isDisableHostVerification())
                && isBlank(tls.getServerCACertPath())
                && (tls.getServerCACertData() == null || tls.getServerCACertData().length == 0)) {
            if (!allowed) {
                throw new IllegalArgumentException("TEMPORAL_TLS_DISABLE_HOST_VERIFICATION=true without "
                        + "TEMPORAL_TLS_SERVER_CA_CERT_PATH turns off every certificate check: anyone on the path to "
                        + address + " could pose as the server and take the API key. Name the server's CA in "
                        + "TEMPORAL_TLS_SERVER_CA_CERT_PATH, or set " + ALLOW_INSECURE + "=true to accept the risk.");
            }
            return "no certificate checks";
        }
        if (!tls() && hasApiKey() && !Hosts.isLoopback(Hosts.ofTarget(address))) {
            if (!allowed) {
                throw new IllegalArgumentException("TEMPORAL_TLS=false with an API key would send the key in "
                        + "cleartext to " + address + ", which is not this host. Turn TLS on (leave TEMPORAL_TLS "
                        + "unset: a key turns it on), or set " + ALLOW_INSECURE + "=true to accept the risk.");
            }
            return "API key in cleartext";
        }
        return null;
    }

    public String address() {
        return address;
    }

    public String namespace() {
        return namespace;
    }

    public boolean hasApiKey() {
        return !isBlank(profile.getApiKey());
    }

    /** TLS as the SDK will use it: explicitly on, configured by any TLS setting, or implied by an API key. */
    public boolean tls() {
        ClientConfigTLS tls = profile.getTls();
        if (tls != null) {
            return tls.isDisabled() == null || !tls.isDisabled();
        }
        return hasApiKey();
    }

    /** What is insecure and was allowed by {@value #ALLOW_INSECURE} (e.g. "API key in cleartext"), or null. */
    public String insecure() {
        return insecure;
    }

    /** For log lines: where and how, never the key; an allowed insecure setting is named. */
    public String describe() {
        return address + " (namespace " + namespace + (tls() ? ", TLS" : "") + (hasApiKey() ? ", API key" : "")
                + (insecure == null ? "" : ", INSECURE: " + insecure + ", " + ALLOW_INSECURE + "=true") + ")";
    }

    /** Stub options with target, TLS and API key set; the caller adds timeouts and metrics. */
    public WorkflowServiceStubsOptions.Builder stubsOptions() {
        try {
            return WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Cannot set up TLS for Temporal at " + address + ": " + rootMessage(e)
                            + ". Check TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH and TEMPORAL_TLS_SERVER_CA_CERT_PATH.");
        }
    }

    /**
     * Adds the API key and gRPC metadata to other stubs that share the workflow stubs' raw
     * channel (e.g. the operator service): the raw channel carries TLS but not the key.
     */
    public <T extends ServiceStubsOptions.Builder<T>> T withCredentials(T builder) {
        String key = profile.getApiKey();
        if (!isBlank(key)) {
            builder.addApiKey(() -> key);
        }
        if (profile.getMetadata() != null) {
            io.grpc.Metadata metadata = profile.getMetadata();
            builder.addGrpcMetadataProvider(() -> metadata);
        }
        return builder;
    }

    /**
     * One line for a failed first connection: refused credentials and failed TLS handshakes are
     * named as such (they will not heal by waiting), anything else as unreachable.
     */
    public String connectFailure(Throwable e, Duration timeout) {
        Optional<Status.Code> code = grpcCode(e);
        String root = rootMessage(e);
        if (code.filter(c -> c == Status.Code.UNAUTHENTICATED || c == Status.Code.PERMISSION_DENIED)
                .isPresent()) {
            return "Temporal at " + address + " refused our credentials (" + code.get() + ": " + shorten(root)
                    + "). Check "
                    + (hasApiKey()
                            ? "the API key (TEMPORAL_API_KEY_FILE, the credential " + CREDENTIAL_API_KEY
                                    + " or TEMPORAL_API_KEY)"
                            : "the API key: none is set (TEMPORAL_API_KEY_FILE or the credential " + CREDENTIAL_API_KEY
                                    + ")")
                    + ", the client certificate and TEMPORAL_NAMESPACE.";
        }
        if (isTlsFailure(e)) {
            return "TLS handshake with Temporal at " + address + " failed (" + shorten(root) + "). Check "
                    + "TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME and the client certificate"
                    + (tls() ? "" : ", or whether the server wants TLS (TEMPORAL_TLS=true)") + ".";
        }
        return "Cannot reach Temporal at " + address + " within " + timeout.toSeconds() + " s (" + shorten(root) + ")";
    }

    /** True when the failure is about credentials or TLS, not about the server being down. */
    public static boolean isCredentialOrTlsFailure(Throwable e) {
        return grpcCode(e)
                        .filter(c -> c == Status.Code.UNAUTHENTICATED || c == Status.Code.PERMISSION_DENIED)
                        .isPresent()
                || isTlsFailure(e);
    }

    private static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException
                    || t instanceof java.security.cert.CertificateException
                    || t.getClass().getName().contains("NotSslRecordException")) {
                return true;
            }
        }
        return false;
    }

    /** The gRPC status code somewhere in {@code e}'s causes (the API's problems use it too). */
    public static Optional<Status.Code> grpcCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StatusRuntimeException s) {
                return Optional.of(s.getStatus().getCode());
            }
        }
        return Optional.empty();
    }

    private static String readSecret(Path file, String what) {
        try {
            String s = Files.readString(file).strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException(what + " (" + file + ") is empty.");
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " names " + file + ", which cannot be read ("
                    + e.getClass().getSimpleName() + ").");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    /** gRPC puts an HTTP error page into the message: the first line is enough. */
    private static String shorten(String s) {
        String line = s.lines().findFirst().orElse("").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
