package ai.clawfactory.core.definition;

/**
 * One thing wrong with a definition file.
 *
 * @param file    the file, as the user named it
 * @param line    1-based line, or 0 when unknown
 * @param column  1-based column, or 0 when unknown
 * @param path    where in the document, e.g. {@code steps[2].agentTurn.sessionMode}
 * @param message what is wrong and what to write instead
 */
public record Problem(String file, int line, int column, String path, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
