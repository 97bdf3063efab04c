package ai.clawfactory.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Host names as settings write them: whether one is this machine's loopback. */
public final class Hosts {

    private Hosts() {}

    /** localhost, 127.0.0.0/8 or ::1 (bracketed or not); a name is never resolved (only "localhost" counts). */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        } else if (!h.matches("[0-9.]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The host of a gRPC target: {@code host:port}, {@code [v6]:port}, {@code host} or
     * {@code dns:///host:port}; a form it does not know comes back whole (never loopback then).
     */
    public static String ofTarget(String target) {
        String t = target.strip();
        int scheme = t.indexOf(":///");
        if (scheme >= 0) {
            t = t.substring(scheme + 4);
        }
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            return end > 0 ? t.substring(0, end + 1) : t;
        }
        int colon = t.lastIndexOf(':');
        return colon >= 0 && t.indexOf(':') == colon ? t.substring(0, colon) : t;
    }
}
