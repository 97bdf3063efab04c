package ai.clawfactory.core.definition;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code http} step kind in core: a plain HTTP call ({@link HttpCallDefinition}), its templates and secrets. */
final class HttpSlice implements StepKindSlice<HttpCallDefinition> {

    /** The method when none is written, as the schema's default says. */
    static final String DEFAULT_METHOD = DefinitionSchema.defaultAt("http", "/properties/method");

    @Override
    public StepKind kind() {
        return StepKind.HTTP;
    }

    @Override
    public HttpCallDefinition read(YamlCursor at, TemplateScope scope) {
        if (!at.isMapping()) {
            return null;
        }
        String method = at.text("method");
        method = method == null ? DEFAULT_METHOD : method.toUpperCase();
        String url = at.text("url");
        if (url != null) {
            YamlCursor u = at.get("url");
            scope.checkHttp(u, url);
            HttpTemplates.checkUrl(url).forEach(issue -> u.problemAt(issue.offset(), issue.message()));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        YamlCursor h = at.get("headers");
        if (h != null) {
            for (YamlCursor.Entry e : h.entries()) {
                String value = e.value().text();
                if (value != null) {
                    scope.checkHttp(e.value(), value);
                    HttpTemplates.checkHeader(e.key(), value)
                            .forEach(issue -> e.value().problemAt(issue.offset(), issue.message()));
                    headers.put(e.key(), value);
                }
            }
        }
        String body = at.text("body");
        if (body != null) {
            YamlCursor b = at.get("body");
            scope.checkHttp(b, body);
            HttpTemplates.checkBody(body).forEach(issue -> b.problemAt(issue.offset(), issue.message()));
        }
        List<Integer> expect = new ArrayList<>();
        YamlCursor statuses = at.get("expectStatus");
        if (statuses != null) {
            for (YamlCursor item : statuses.items()) {
                Integer code = YamlCursor.wholeNumber(item.text());
                if (code != null) {
                    expect.add(code);
                }
            }
        }
        return new HttpCallDefinition(method, url, DefinitionLoader.ordered(headers), body, List.copyOf(expect));
    }

    @Override
    public Object write(HttpCallDefinition h) {
        Map<String, Object> m = new LinkedHashMap<>();
        DefinitionWriter.put(m, "method", h.method());
        DefinitionWriter.put(m, "url", h.url());
        DefinitionWriter.put(m, "headers", h.headers());
        DefinitionWriter.put(m, "body", h.body());
        DefinitionWriter.put(m, "expectStatus", h.expectStatus());
        return m;
    }

    @Override
    public String what(HttpCallDefinition h) {
        return "http " + h.method() + " " + hostAndPath(h.url());
    }

    /** Host and path of a URL template (no query: it may carry values). */
    static String hostAndPath(String url) {
        int q = url.indexOf('?');
        String bare = q < 0 ? url : url.substring(0, q);
        try {
            URI u = URI.create(bare.replace("{{", "%7B%7B").replace("}}", "%7D%7D"));
            String path = u.getRawPath() == null
                    ? ""
                    : u.getRawPath().replace("%7B%7B", "{{").replace("%7D%7D", "}}");
            return (u.getHost() == null ? "" : u.getHost()) + path;
        } catch (IllegalArgumentException e) {
            return bare;
        }
    }

    @Override
    public Map<String, SchemaText> schemaTexts() {
        SchemaText status = SchemaText.of("is not an HTTP status (100-599)");
        return Map.of(
                "http/required/url", SchemaText.of("missing: the URL to call"),
                "httpMethod/pattern", SchemaText.of("is not one of GET, POST, PUT, PATCH, DELETE, HEAD"),
                "httpUrl/pattern",
                        SchemaText.of("must be an http:// or https:// URL with its host written out (no placeholder, "
                                + "no user info before the path)"),
                "httpStatus/minimum", status,
                "httpStatus/maximum", status);
    }
}
