package ai.clawfactory.api;

import ai.clawfactory.api.problem.ApiProblem;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/v1/openapi.yaml}: the OpenAPI 3.1 document that micronaut-openapi's annotation
 * processor wrote from these controllers at compile time ({@value #RESOURCE}).
 */
@Controller("/api/v1/openapi.yaml")
@Tag(name = "meta")
final class OpenApiController {

    static final String RESOURCE = "META-INF/swagger/clawfactory-api.yml";

    static final String MEDIA_TYPE = "application/yaml";

    private final String document;

    OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            document = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
    }

    @Get(produces = MEDIA_TYPE)
    @Operation(summary = "This API's OpenAPI 3.1 document")
    HttpResponse<String> document() {
        if (document == null) {
            throw ApiProblem.notFound(null, "This build has no OpenAPI document (" + RESOURCE + "); rebuild the API.");
        }
        return HttpResponse.ok(document).contentType(MEDIA_TYPE);
    }
}
