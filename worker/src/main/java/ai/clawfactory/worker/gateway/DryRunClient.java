package ai.clawfactory.worker.gateway;

/**
 * Sends nothing: the ledger records the body an {@code openclaw-hooks} gateway would have
 * received. The default when no gateway is configured.
 */
final class DryRunClient implements GatewayClient {

    private final GatewayJson json;

    DryRunClient(GatewayJson json) {
        this.json = json;
    }

    @Override
    public String kind() {
        return GatewayKinds.DRY_RUN;
    }

    @Override
    public String body(TurnRequest request) {
        return json.write(OpenClawHooksClient.hooksBody(request));
    }

    @Override
    public GatewayReply send(TurnRequest request, String body) {
        return new GatewayReply(
                null,
                "dry-run-" + Integer.toHexString(request.idempotencyKey().hashCode()),
                false,
                "dry run: nothing was sent (set GATEWAY_URL to reach a gateway)");
    }

    @Override
    public GatewayReply wake(WakeRequest request, String body) {
        return new GatewayReply(null, null, false, "dry run: no wake was sent (set GATEWAY_URL to reach a gateway)");
    }
}
