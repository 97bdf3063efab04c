package ai.clawfactory.core.definition;

import java.util.List;

/** Definitions were refused; every problem found is listed, not just the first. */
public class DefinitionException extends RuntimeException {

    private final transient List<Problem> problems;

    public DefinitionException(List<Problem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String summary(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems")
                .append(" in workflow definitions; nothing was loaded:");
        for (Problem p : problems) {
            sb.append(System.lineSeparator()).append("  ").append(p);
        }
        return sb.toString();
    }
}
