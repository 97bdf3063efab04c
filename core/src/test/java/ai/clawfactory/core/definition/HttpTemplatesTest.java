package ai.clawfactory.core.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where an http step's placeholders may stand and how their values are escaped. */
class HttpTemplatesTest {

    private final DefinitionLoader loader = new DefinitionLoader();

    private static String render(String url, String value) {
        return HttpTemplates.renderUrl(url, ref -> value);
    }

    @Test
    void pathAndQueryValuesArePercentEncoded() {
        assertEquals(
                "https://example.org/items/%40127.0.0.1%3A7243%2Fapi%2Fv1?q=a%26admin%3Dtrue%23x",
                HttpTemplates.renderUrl(
                        "https://example.org/items/{{input.id}}?q={{input.q}}",
                        Map.of("input.id", "@127.0.0.1:7243/api/v1", "input.q", "a&admin=true#x")::get));
        assertEquals("https://example.org/?q=%C3%A9%20%2B%25", render("https://example.org/?q={{input.q}}", "é +%"));
        assertEquals("https://example.org/#frag%3Fx", render("https://example.org/#{{input.f}}", "frag?x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "."})
    void aValueThatMakesADotSegmentIsRefused(String value) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> render("https://example.org/a/{{input.x}}/b", value));
        assertTrue(e.getMessage().contains("'..' segment"), e.getMessage());
    }

    @Test
    void encodedDotsInAValueStayInert() {
        assertEquals("https://example.org/a/%252e%252E/b", render("https://example.org/a/{{input.x}}/b", "%2e%2E"));
        assertEquals("https://example.org/a/..x/b", render("https://example.org/a/{{input.x}}/b", "..x"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.org{{input.path}}",
                "https://{{input.host}}/x",
                "https://example.{{input.tld}}/x",
                "https://example.org:{{input.port}}/x",
                "{{input.scheme}}://example.org/x",
                "https://{{secret.token}}@example.org/x",
                "{{input.url}}"
            })
    void aPlaceholderInTheSchemeOrAuthorityIsRefused(String url) {
        List<HttpTemplates.Issue> issues = HttpTemplates.checkUrl(url);
        assertEquals(1, issues.size(), issues.toString());
        assertTrue(issues.get(0).message().contains("scheme or host"), issues.toString());
        assertEquals(url.indexOf("{{"), issues.get(0).offset());
        assertThrows(IllegalArgumentException.class, () -> render(url, "example.org"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://example.org/",
                "https://example.org/{{input.x}}",
                "HTTP://EXAMPLE.org/x",
                "HttpS://example.org:8443/a?b={{input.x}}",
                "http://127.0.0.1:8080",
                "http://[::1]:80/x"
            })
    void literalHttpAndHttpsUrlsOfAnyCaseAreValid(String url) {
        assertEquals(List.of(), HttpTemplates.checkUrl(url));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://example.org/",
                "file:///etc/passwd",
                "javascript://x/",
                "https://user:pw@example.org/",
                "https://example.org/a b",
                "https://exa mple.org/",
                "https://example.org:99999/",
                "https:///x",
                "https://example.org\\@evil.com/",
                "https://example.org/a/../b",
                "example.org/x",
                "https://example.org/100%",
                "https://example.org/a|b"
            })
    void otherSchemesUserInfoSpacesAndOddHostsAreRefused(String url) {
        assertFalse(HttpTemplates.checkUrl(url).isEmpty(), url);
    }

    @Test
    void bodyValuesAreJsonEscapedSoTheyCannotAddFields() {
        String output = "x\", \"admin\": true, \"y\": \"\\\u0001\n";
        String body = HttpTemplates.renderBody("{\"text\": \"Summary: {{steps.a.output}}\", \"n\": 1}", ref -> output);
        assertEquals(
                "{\"text\": \"Summary: x\\\", \\\"admin\\\": true, \\\"y\\\": \\\"\\\\\\u0001\\n\", \"n\": 1}", body);
    }

    @Test
    void aBodyPlaceholderOutsideAJsonStringIsRefused() {
        List<HttpTemplates.Issue> issues = HttpTemplates.checkBody("{\"a\": \"{{input.x}}\", \"b\": {{input.y}}}");
        assertEquals(1, issues.size(), issues.toString());
        assertTrue(issues.get(0).message().contains("'{{input.y}}' is outside a JSON string"), issues.toString());
        // An escaped quote does not end the string.
        assertEquals(List.of(), HttpTemplates.checkBody("{\"a\": \"say \\\"{{input.x}}\\\"\"}"));
        assertThrows(IllegalArgumentException.class, () -> HttpTemplates.renderBody("{{input.y}}", ref -> "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Admin: true", "a\nb", "a\rb", "a\u0000b", "a\u0085b"})
    void aHeaderValueWithALineBreakOrControlCharacterIsRefused(String value) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> HttpTemplates.renderHeader("X-Note", "note {{input.x}}", ref -> value));
        assertTrue(e.getMessage().contains("line break or control character"), e.getMessage());
        assertFalse(e.getMessage().contains(value), "the message does not echo the value");
        assertEquals("note a\tb", HttpTemplates.renderHeader("X-Note", "note {{input.x}}", ref -> "a\tb"));
    }

    @Test
    void headersTheClientOwnsAndBadNamesAreRefused() {
        assertFalse(HttpTemplates.checkHeader("Host", "evil.example").isEmpty());
        assertFalse(HttpTemplates.checkHeader("Content-Length", "0").isEmpty());
        assertFalse(HttpTemplates.checkHeader("Expect", "100-continue").isEmpty());
        assertFalse(HttpTemplates.checkHeader("upgrade", "h2c").isEmpty());
        assertFalse(HttpTemplates.checkHeader("X Bad", "v").isEmpty());
        assertEquals(List.of(), HttpTemplates.checkHeader("Authorization", "Bearer {{secret.hook-token}}"));
    }

    @Test
    void validationReportsAnAuthorityPlaceholderWithFileLineAndColumn() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("h.yaml", """
                name: H
                input: { path: /ok }
                steps:
                  - id: ping
                    http:
                      url: "https://example.org{{input.path}}"
                """));
        assertEquals(1, e.problems().size(), e.problems().toString());
        String p = e.problems().get(0).toString();
        // The '{{': the quote is column 12, the URL starts at 13, and "https://example.org" is 19 characters.
        assertTrue(
                p.startsWith("h.yaml:6:32: steps[0](ping).http.url: '{{input.path}}' is in the URL's scheme or host"),
                p);
    }

    @Test
    void secretReferencesAreAcceptedInHttpStepsOnly() {
        WorkflowDefinition d = loader.parse("s.yaml", """
                name: S
                steps:
                  - id: notify
                    http:
                      url: "https://hooks.example.org/services/{{secret.slack-path}}"
                      headers: { Authorization: "Bearer {{secret.hook_token}}" }
                      body: '{"token": "{{secret.hook_token}}"}'
                """);
        assertEquals(
                "Bearer {{secret.hook_token}}",
                d.step("notify").http().headers().get("Authorization"));
        DefinitionException inMessage = assertThrows(DefinitionException.class, () -> loader.parse("m.yaml", """
                name: M
                steps:
                  - id: a
                    agentTurn: { message: "use {{secret.hook_token}}" }
                """));
        assertTrue(inMessage.getMessage().contains("secrets can only be used in an http step"), inMessage.getMessage());
        DefinitionException badName = assertThrows(DefinitionException.class, () -> loader.parse("n.yaml", """
                name: N
                steps:
                  - id: a
                    http: { url: "https://example.org/", headers: { X: "{{secret.../etc/passwd}}" } }
                """));
        assertTrue(badName.getMessage().contains("a secret name is letters"), badName.getMessage());
    }

    @Test
    void validationRefusesCrLfInHeadersAndPlaceholdersOutsideBodyStrings() {
        DefinitionException e = assertThrows(DefinitionException.class, () -> loader.parse("b.yaml", """
                name: B
                input: { n: "1" }
                steps:
                  - id: a
                    http:
                      url: "https://example.org/"
                      headers: { X-Two: "a\\r\\nX-Admin: true" }
                      body: '{"n": {{input.n}}}'
                """));
        String all = e.getMessage();
        assertTrue(all.contains("http.headers.X-Two: a header value may not contain a line break"), all);
        assertTrue(all.contains("b.yaml:8:"), all);
        assertTrue(all.contains("http.body: '{{input.n}}' is outside a JSON string"), all);
    }
}
