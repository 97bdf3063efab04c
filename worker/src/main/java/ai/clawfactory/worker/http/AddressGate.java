package ai.clawfactory.worker.http;

import ai.clawfactory.worker.config.HttpStepsConfig;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which addresses an {@code http} step may connect to, decided on the addresses a host resolves
 * to (not on its name), once per connection: {@link GatedHttpSender} connects to exactly the
 * addresses {@link #check} returned, so nothing is resolved again between the check and the
 * connection (DNS rebinding).
 * <ul>
 *   <li>Temporal's own ports are never reached: the frontend the worker connects to
 *       (TEMPORAL_ADDRESS), and on that host its HTTP API and Web UI (TEMPORAL_HTTP_PORT,
 *       TEMPORAL_UI_PORT); when Temporal is on this machine, on any of this machine's addresses.
 *       Its HTTP API takes unauthenticated workflow starts and signals.</li>
 *   <li>Loopback, unspecified, link-local, private (10/8, 172.16/12, 192.168/16, fc00::/7,
 *       fec0::/10), shared (100.64/10), multicast and reserved (240/4) addresses, also inside an
 *       IPv4-compatible or NAT64 IPv6 address, are reached only when HTTP_ALLOW_HOSTS names the
 *       host with its port ({@code localhost:8080}); a wildcard or a port-less entry is not enough.</li>
 *   <li>Every other address is public: the name-level allow-list decides.</li>
 * </ul>
 */
public final class AddressGate {

    /** How a host name becomes addresses. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    /** The system's resolver. */
    public static final Lookup SYSTEM = InetAddress::getAllByName;

    /** A host or address an http step may not reach; the message says why and which setting opens it. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final HttpStepsConfig config;
    private final String temporalAddress;
    private final String temporalHost;
    private final Set<Integer> temporalPorts;
    private final Lookup lookup;

    /**
     * @param temporalAddress where the worker connects to Temporal, {@code host:port}
     * @param lookup          how step hosts are resolved
     */
    public AddressGate(HttpStepsConfig config, String temporalAddress, Lookup lookup) {
        this.config = config;
        this.temporalAddress = temporalAddress;
        this.lookup = lookup;
        int colon = temporalAddress.lastIndexOf(':');
        boolean hasPort = colon > 0 && !temporalAddress.endsWith("]");
        String host = hasPort ? temporalAddress.substring(0, colon) : temporalAddress;
        int port = hasPort ? Integer.parseInt(temporalAddress.substring(colon + 1)) : 7233;
        this.temporalHost = bare(host).toLowerCase(Locale.ROOT);
        this.temporalPorts = Set.of(port, config.temporalHttpPort(port), config.temporalUiPort(port));
    }

    /**
     * The addresses {@code host} may be reached at on {@code port}, resolved once.
     *
     * @throws Refused when any of them is Temporal's or an address the operator has not opened
     * @throws UnknownHostException when the host does not resolve
     */
    public List<InetAddress> check(String host, int port) throws IOException {
        return check(host, port, Arrays.asList(lookup.addresses(bare(host))));
    }

    /** As {@link #check(String, int)}, for addresses already resolved. */
    public List<InetAddress> check(String host, int port, List<InetAddress> addresses) throws Refused {
        if (addresses.isEmpty()) {
            throw new Refused(host + " resolves to no address");
        }
        for (InetAddress a : addresses) {
            if (isTemporal(host, port, a)) {
                throw new Refused(host + ":" + port + " is Temporal's (" + a.getHostAddress() + "; TEMPORAL_ADDRESS "
                        + temporalAddress + ", its HTTP API and Web UI ports " + new TreeSet<>(temporalPorts)
                        + "): http steps never call Temporal, whatever HTTP_ALLOW_HOSTS says");
            }
            Kind kind = kind(a);
            if (kind != null && !config.namesExactly(host, port)) {
                throw new Refused(host + " resolves to " + a.getHostAddress() + ", " + kind.words
                        + ": http steps reach loopback, private, link-local and multicast addresses only when"
                        + " HTTP_ALLOW_HOSTS names the host with its port (add " + host + ":" + port
                        + " there; a wildcard or a host without a port is not enough)");
            }
        }
        return List.copyOf(addresses);
    }

    private boolean isTemporal(String host, int port, InetAddress a) {
        if (!temporalPorts.contains(port)) {
            return false;
        }
        if (bare(host).equalsIgnoreCase(temporalHost)) {
            return true;
        }
        InetAddress[] temporal;
        try {
            temporal = InetAddress.getAllByName(temporalHost);
        } catch (UnknownHostException e) {
            temporal = new InetAddress[0];
        }
        boolean local = temporal.length == 0 && temporalHost.equals("localhost");
        for (InetAddress t : temporal) {
            if (t.equals(a)) {
                return true;
            }
            local |= isLocal(t);
        }
        // A local Temporal may listen on every address of this machine.
        return local && isLocal(a);
    }

    /** Addresses that are not public, as messages name them. */
    enum Kind {
        LOOPBACK("a loopback address"),
        UNSPECIFIED("an unspecified address"),
        LINK_LOCAL("a link-local address"),
        PRIVATE("a private address"),
        SHARED("a shared (carrier-grade NAT) address"),
        MULTICAST("a multicast address"),
        RESERVED("a reserved or broadcast address");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    /** What kind of non-public address {@code a} is, or null for a public one. */
    static Kind kind(InetAddress address) {
        InetAddress a = embeddedIpv4(address);
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 127) {
                return Kind.LOOPBACK;
            }
            if (first == 0) {
                return Kind.UNSPECIFIED;
            }
            if (first == 169 && second == 254) {
                return Kind.LINK_LOCAL;
            }
            if (first == 10 || (first == 172 && (second & 0xf0) == 16) || (first == 192 && second == 168)) {
                return Kind.PRIVATE;
            }
            if (first == 100 && (second & 0xc0) == 64) {
                return Kind.SHARED;
            }
            if (first >= 224 && first < 240) {
                return Kind.MULTICAST;
            }
            if (first >= 240) {
                return Kind.RESERVED;
            }
            return null;
        }
        if (a.isLoopbackAddress()) {
            return Kind.LOOPBACK;
        }
        if (a.isAnyLocalAddress()) {
            return Kind.UNSPECIFIED;
        }
        if (a.isLinkLocalAddress()) {
            return Kind.LINK_LOCAL;
        }
        if ((b[0] & 0xfe) == 0xfc || a.isSiteLocalAddress()) {
            return Kind.PRIVATE;
        }
        if (a.isMulticastAddress()) {
            return Kind.MULTICAST;
        }
        return null;
    }

    /**
     * The IPv4 address inside an IPv4-compatible ({@code ::a.b.c.d}) or NAT64 ({@code 64:ff9b::a.b.c.d})
     * IPv6 address; other addresses as they are. (Java already turns IPv4-mapped {@code ::ffff:a.b.c.d}
     * into IPv4.)
     */
    private static InetAddress embeddedIpv4(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a;
        }
        byte[] b = a.getAddress();
        boolean compatible = true;
        for (int i = 0; i < 12; i++) {
            compatible &= b[i] == 0;
        }
        boolean nat64 =
                (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        // ::0.0.0.0 and ::0.0.0.1 are :: and ::1, which stay IPv6.
        boolean v4 = (compatible && ((b[12] | b[13] | b[14]) != 0 || (b[15] & 0xff) > 1)) || nat64;
        if (!v4) {
            return a;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
        } catch (UnknownHostException e) {
            return a;
        }
    }

    /** Whether {@code a} is this machine: loopback, unspecified, or an address of one of its interfaces. */
    private static boolean isLocal(InetAddress a) {
        Kind kind = kind(a);
        if (kind == Kind.LOOPBACK || kind == Kind.UNSPECIFIED) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
