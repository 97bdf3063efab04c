package ai.clawfactory.worker.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

    static final String SECRET = "tok/42+ab\"cd\\ef é";

    @Test
    void everyEchoedFormOfASecretIsRedacted() {
        Redactor r = Redactor.of(SECRET);
        for (String echo : SecretEchoes.of(SECRET)) {
            String out = r.apply("before " + echo + " after");
            assertEquals("before [redacted] after", out, echo);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "u", "us", "user:"})
    void aSecretInsideALongerBase64TextIsRedactedAtAnyAlignment(String prefix) {
        String token = "s3cr3t-gateway-token-value";
        String basic = Base64.getEncoder().encodeToString((prefix + token + "!").getBytes(StandardCharsets.UTF_8));
        String out = Redactor.of(token).apply("Authorization: Basic " + basic);
        assertTrue(out.contains("[redacted]"), out);
        assertFalse(out.contains(basic), out);
    }

    @Test
    void withAddsSecretsAndNullsAreIgnored() {
        Redactor r = Redactor.of((String) null).with(List.of("one-secret", "two-secret"));
        assertEquals("[redacted] [redacted] three", r.apply("one-secret two-secret three"));
        assertEquals(null, r.apply(null));
        assertTrue(Redactor.of((String) null).isEmpty());
    }
}
