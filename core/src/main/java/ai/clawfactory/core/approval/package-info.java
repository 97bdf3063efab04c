/**
 * The contract of approvals shared by every process that decides one: the worker's interpreter
 * (which answers the {@link ai.clawfactory.core.Names#UPDATE_DECIDE} Update), {@code ./clawfactory
 * approve}, the runs API and the MCP server. The records travel in Temporal history, so they only
 * ever gain components.
 */
package ai.clawfactory.core.approval;
