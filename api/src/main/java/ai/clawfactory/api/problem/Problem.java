package ai.clawfactory.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * An error as RFC 9457 {@code application/problem+json}: {@code type}, {@code title},
 * {@code status}, {@code detail} (what is wrong and what to do), and two members of ours:
 * {@code field} (the request part at fault: a body member as a JSON pointer such as
 * {@code /input/topic}, a header such as {@code Idempotency-Key}, a query parameter, a path
 * segment) and {@code suggestion} (a did-you-mean).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail, String field, String suggestion) {

    /** The media type of every error answer. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Base of our problem types; the fragment names the problem (docs/API.md lists them). */
    public static final String TYPE_BASE = "https://clawfactory.ai/problems/";
}
