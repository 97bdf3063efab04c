package ai.clawfactory.core.definition;

/**
 * What an agent turn's answer must satisfy to count as a success ({@code expect:} on an
 * agentTurn). Every field that is set must hold; an unmet check fails the attempt.
 *
 * @param contains the output contains this text (case-sensitive)
 * @param matches  a regular expression ({@link java.util.regex.Pattern} syntax) found somewhere in the output
 * @param json     true: the output is a JSON document (object, array or scalar)
 * @param reply    true: the gateway reports that the run replied (OpenClaw hooks: a {@code completion.replyDisposition}
 *                 that is present and not {@code silent}, {@code empty} or {@code none})
 */
public record OutputCheck(String contains, String matches, Boolean json, Boolean reply) {

    /** Whether a check of the output text is declared (as opposed to {@link #reply} only). */
    public boolean checksText() {
        return contains != null || matches != null || Boolean.TRUE.equals(json);
    }

    /** The check in the words of the file, e.g. {@code contains "DONE"}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (contains != null) {
            sb.append("contains \"").append(contains).append('"');
        }
        if (matches != null) {
            sb.append(sb.isEmpty() ? "" : ", ")
                    .append("matches /")
                    .append(matches)
                    .append('/');
        }
        if (Boolean.TRUE.equals(json)) {
            sb.append(sb.isEmpty() ? "" : ", ").append("json");
        }
        if (Boolean.TRUE.equals(reply)) {
            sb.append(sb.isEmpty() ? "" : ", ").append("reply");
        }
        return sb.toString();
    }
}
