package ai.clawfactory.worker.gateway;

import ai.clawfactory.worker.http.GatewayException;

/** Sends agent turns to a gateway of one kind. */
public interface GatewayClient {

    /** The configured kind: openclaw-hooks, openai-chat, cron-fire or dry-run. */
    String kind();

    /** The JSON body this kind sends for a request (recorded in the ledger; never holds the token). */
    String body(TurnRequest request);

    /**
     * Sends the turn and waits for it to settle.
     *
     * @throws GatewayException when it did not complete, categorised for retrying
     */
    GatewayReply send(TurnRequest request, String body);

    /**
     * Wakes the gateway's main session ({@code POST /hooks/wake}); only {@code openclaw-hooks}
     * (and dry-run) can.
     *
     * @throws GatewayException when it was not accepted, categorised for retrying
     */
    default GatewayReply wake(WakeRequest request, String body) {
        throw new GatewayException(
                GatewayException.Category.CONFIGURATION,
                "A wake step needs GATEWAY_KIND " + GatewayKinds.OPENCLAW_HOOKS + " (POST /hooks/wake); " + kind()
                        + " has no wake",
                null,
                null,
                null);
    }
}
