package ai.clawfactory.core.approval;

import java.util.List;

/** The ways a decision can come in; an {@code approval} step's {@code by:} lists those it accepts. */
public final class Channels {

    private Channels() {}

    /** {@code ./clawfactory approve}. */
    public static final String CLI = "cli";

    /** The runs API ({@code POST /api/v1/runs/{id}/approvals}), with a token holding the decide scope. */
    public static final String API = "api";

    /** The MCP server's approve tool, with an MCP token holding the decide scope (not by default). */
    public static final String MCP = "mcp";

    /** A raw Update sent with the Temporal CLI or Web UI (no channel in the argument). */
    public static final String TEMPORAL = "temporal";

    /** Every channel. */
    public static final List<String> ALL = List.of(CLI, API, MCP, TEMPORAL);

    /** What an approval step without {@code by:} accepts: every channel but MCP, so an agent cannot approve the step meant to stop it. */
    public static final List<String> DEFAULT_BY = List.of(CLI, API, TEMPORAL);
}
