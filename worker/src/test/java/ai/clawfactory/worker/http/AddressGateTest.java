package ai.clawfactory.worker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.clawfactory.worker.config.HttpStepsConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGateTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, LOOPBACK",
        "127.255.0.9, LOOPBACK",
        "::1, LOOPBACK",
        "::ffff:127.0.0.1, LOOPBACK",
        "::127.0.0.1, LOOPBACK",
        "64:ff9b::7f00:1, LOOPBACK",
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "::, UNSPECIFIED",
        "169.254.169.254, LINK_LOCAL",
        "fe80::1, LINK_LOCAL",
        "10.1.2.3, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "::ffff:192.168.1.1, PRIVATE",
        "64:ff9b::a00:1, PRIVATE",
        "fd00::1, PRIVATE",
        "fc00::1, PRIVATE",
        "fec0::1, PRIVATE",
        "100.64.0.1, SHARED",
        "100.127.255.255, SHARED",
        "224.0.0.1, MULTICAST",
        "ff02::1, MULTICAST",
        "255.255.255.255, RESERVED",
        "240.0.0.1, RESERVED"
    })
    void addressesThatAreNotPublicAreNamed(String address, AddressGate.Kind kind) throws UnknownHostException {
        assertEquals(kind, AddressGate.kind(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "172.32.0.1",
                "172.15.255.255",
                "100.128.0.1",
                "100.63.255.255",
                "203.0.113.7",
                "2001:4860::8888",
                "::ffff:8.8.8.8",
                "64:ff9b::808:808"
            })
    void publicAddressesAreNot(String address) throws UnknownHostException {
        assertNull(AddressGate.kind(InetAddress.getByName(address)), address);
    }

    @Test
    void anExplicitAllowanceIsAHostWithItsPortAndNoWildcard() {
        HttpStepsConfig c = new HttpStepsConfig("localhost:8080, *.lan:8443, intranet, [::1]:9000");
        assertTrue(c.namesExactly("localhost", 8080));
        assertTrue(c.namesExactly("LOCALHOST.", 8080));
        assertTrue(c.namesExactly("[::1]", 9000));
        assertFalse(c.namesExactly("localhost", 8081));
        assertFalse(c.namesExactly("hooks.lan", 8443));
        assertFalse(c.namesExactly("intranet", 80));
        assertTrue(c.allows("hooks.lan", 8443));
        assertTrue(c.allows("intranet", 80));
    }

    @Test
    void temporalsHttpAndUiPortsDefaultAsTheDevServerStartsThem() {
        assertEquals(7243, new HttpStepsConfig(null).temporalHttpPort(7233));
        assertEquals(8233, new HttpStepsConfig(null).temporalUiPort(7233));
        assertEquals(9000, new HttpStepsConfig(null, "9000", " 9001 ").temporalHttpPort(7233));
        assertEquals(9001, new HttpStepsConfig(null, "9000", " 9001 ").temporalUiPort(7233));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new HttpStepsConfig(null, "http", null));
        assertTrue(e.getMessage().startsWith("http-steps.temporal-http-port (TEMPORAL_HTTP_PORT)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HttpStepsConfig(null, null, "70000"));
        assertThrows(IllegalArgumentException.class, () -> new HttpStepsConfig("example.org, :8080", null, null));
    }

    @Test
    void theCheckedAddressesAreTheOnesReturned() throws Exception {
        InetAddress a = InetAddress.getByName("203.0.113.7");
        AddressGate gate = new AddressGate(new HttpStepsConfig(null), "127.0.0.1:7233", host -> new InetAddress[] {a});
        assertEquals(List.of(a), gate.check("hooks.example.org", 443));
    }
}
