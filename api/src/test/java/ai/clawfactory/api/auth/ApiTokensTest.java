package ai.clawfactory.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    @TempDir
    Path dir;

    private ApiTokens tokens(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("tokens"), text);
        return new ApiTokens(file.toString());
    }

    @Test
    void aLineWithoutScopesGetsReadAndOperateButNotDecide() throws IOException {
        ApiTokens t = tokens("# comment\n\n  0123456789abcdef0123  \n");
        assertEquals(Optional.of(Scope.DEFAULT), t.scopes("0123456789abcdef0123"));
        assertFalse(Scope.DEFAULT.contains(Scope.DECIDE));
    }

    @Test
    void scopesAreReadFromTheLine() throws IOException {
        ApiTokens t = tokens("reader-0123456789abcdef read\ndecider-0123456789abcde read,decide\n");
        assertEquals(Optional.of(Set.of(Scope.READ)), t.scopes("reader-0123456789abcdef"));
        assertEquals(Optional.of(EnumSet.of(Scope.READ, Scope.DECIDE)), t.scopes("decider-0123456789abcde"));
    }

    @Test
    void aTokensNameIsItsLineInTheFileNeverTheTokenOrAPartOfIt() throws IOException {
        ApiTokens t = tokens("# ops\nreader-0123456789abcdef read\n\ndecider-0123456789abcde read,decide\n");
        assertEquals(
                Optional.of("api-token#2"), t.find("reader-0123456789abcdef").map(ApiTokens.Token::label));
        assertEquals(
                Optional.of("api-token#4"), t.find("decider-0123456789abcde").map(ApiTokens.Token::label));
        assertTrue(t.find("decider-0123456789abcdX").isEmpty());
    }

    @Test
    void decidingAnApprovalNeedsTheDecideScopeEverythingElseAsBefore() {
        assertEquals(
                Scope.DECIDE, TokenFilter.needed(io.micronaut.http.HttpMethod.POST, "/api/v1/runs/api:T:k/approvals"));
        assertEquals(Scope.OPERATE, TokenFilter.needed(io.micronaut.http.HttpMethod.POST, "/api/v1/runs/x/cancel"));
        assertEquals(Scope.READ, TokenFilter.needed(io.micronaut.http.HttpMethod.GET, "/api/v1/runs/x/approvals"));
    }

    @Test
    void anotherTokenOrAPrefixIsNotAccepted() throws IOException {
        ApiTokens t = tokens("0123456789abcdef0123\n");
        assertTrue(t.scopes("0123456789abcdef012").isEmpty());
        assertTrue(t.scopes("0123456789abcdef01234").isEmpty());
        assertTrue(t.scopes("").isEmpty());
    }

    @Test
    void refusesShortTokensUnknownScopesEmptyFilesAndNoFile() throws IOException {
        var shortOne = assertThrows(ApiTokens.TokenFileException.class, () -> tokens("short\n"));
        assertTrue(shortOne.getMessage().contains(":1: the token has fewer than 16"), shortOne.getMessage());
        var scope = assertThrows(ApiTokens.TokenFileException.class, () -> tokens("0123456789abcdef0123 admin\n"));
        assertTrue(scope.getMessage().contains("not one of read, operate, decide"), scope.getMessage());
        assertFalse(scope.getMessage().contains("0123456789abcdef0123"), "a token is never echoed");
        assertThrows(ApiTokens.TokenFileException.class, () -> tokens("# only a comment\n"));
        var none = assertThrows(ApiTokens.TokenFileException.class, () -> ApiTokens.tokenFile("", Map.of()));
        assertTrue(none.getMessage().contains("API_TOKEN_FILE"), none.getMessage());
    }

    @Test
    void theSystemdCredentialIsReadWhenNoFileIsNamed() throws IOException {
        Files.writeString(dir.resolve(ApiTokens.CREDENTIAL), "0123456789abcdef0123\n");
        assertEquals(
                dir.resolve(ApiTokens.CREDENTIAL),
                ApiTokens.tokenFile(null, Map.of("CREDENTIALS_DIRECTORY", dir.toString())));
    }

    @Test
    void toStringNamesNoToken() throws IOException {
        assertEquals("1 API token", tokens("0123456789abcdef0123\n").toString());
    }

    @Test
    void theMcpTokensAreOptionalLabelledByLineAndFoundInTheirOwnCredential() throws IOException {
        assertTrue(ApiTokens.ifConfigured(ApiTokens.MCP, "", Map.of()).isEmpty(), "no MCP token: no MCP server");
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("api-token"), "api-token-0123456789abcdef\n");
        assertTrue(
                ApiTokens.ifConfigured(ApiTokens.MCP, "", Map.of("CREDENTIALS_DIRECTORY", credentials.toString()))
                        .isEmpty(),
                "the API's credential is not the MCP server's");
        Files.writeString(credentials.resolve("mcp-token"), "# agent\nmcp-token-0123456789abcdef\n");
        ApiTokens mcp = ApiTokens.ifConfigured(
                        ApiTokens.MCP, "", Map.of("CREDENTIALS_DIRECTORY", credentials.toString()))
                .orElseThrow();
        ApiTokens.Token t = mcp.find("mcp-token-0123456789abcdef").orElseThrow();
        assertEquals("mcp-token#2", t.label());
        assertEquals(Scope.DEFAULT, t.scopes());
        assertTrue(mcp.find("api-token-0123456789abcdef").isEmpty());
        var broken = assertThrows(
                ApiTokens.TokenFileException.class,
                () -> ApiTokens.ifConfigured(
                        ApiTokens.MCP, dir.resolve("missing").toString(), Map.of()));
        assertTrue(broken.getMessage().contains("MCP_TOKEN_FILE"), broken.getMessage());
    }
}
