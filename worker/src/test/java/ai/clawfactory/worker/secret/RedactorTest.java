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

    @Test
    void anExcerptRedactsTheWholeBodyBeforeItCollapsesAndCutsIt() {
        Redactor r = Redactor.of("multi\nline secret");
        String body = "x".repeat(195) + " multi\nline secret and more";
        String e = r.excerpt(body);
        assertEquals("x".repeat(195) + " [red…", e);
        assertEquals("(empty body)", r.excerpt("  \n "));
        assertEquals("short answer", r.excerpt("short\n  answer"));
    }

    @Test
    void aCutNeverEndsInTheStartOfASecretInAnyForm() {
        String secret = "s3cr3t-gateway-token-value";
        Redactor r = Redactor.of(secret);
        for (String form : SecretEchoes.of(secret)) {
            for (int shown = 1; shown < form.length(); shown++) {
                String body = "y".repeat(Redactor.EXCERPT_CHARS - shown) + form.substring(0, shown);
                String e = r.excerpt(body);
                assertEquals(null, SecretEchoes.prefixIn(e, secret, Redactor.MIN_TRAILING_FRAGMENT), e);
                assertTrue(e.startsWith("y".repeat(Redactor.EXCERPT_CHARS - shown)), e);
            }
        }
        // Text that merely ends like nothing secret is left alone.
        assertEquals("ends with s3c", r.shorten("ends with s3c", 100));
        assertEquals("0123…", r.shorten("0123456789", 4));
    }
}
