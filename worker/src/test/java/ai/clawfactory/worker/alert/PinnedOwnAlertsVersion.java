package ai.clawfactory.worker.alert;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;

/**
 * A worker interceptor that answers {@code Workflow.getVersion} for change
 * {@value AlertWorkflowImpl#CHANGE_OWN_ALERTS} (and its per-report ids) itself, recording no
 * marker: pinned to {@link Workflow#DEFAULT_VERSION} the alert workflow issues exactly the commands
 * of the code before the change; pinned to 1, those of the change made without a guard. Unpinned
 * ({@code null}) it passes every call on.
 */
public final class PinnedOwnAlertsVersion extends WorkerInterceptorBase {

    private volatile Integer version;

    public PinnedOwnAlertsVersion(Integer version) {
        this.version = version;
    }

    /** Pins (or with null unpins) the version; set it while no workflow task runs. */
    public void pin(Integer v) {
        version = v;
    }

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public void init(WorkflowOutboundCallsInterceptor outbound) {
                super.init(new WorkflowOutboundCallsInterceptorBase(outbound) {
                    @Override
                    public int getVersion(String changeId, int minSupported, int maxSupported) {
                        Integer v = version;
                        return v != null && changeId.startsWith(AlertWorkflowImpl.CHANGE_OWN_ALERTS)
                                ? v
                                : super.getVersion(changeId, minSupported, maxSupported);
                    }
                });
            }
        };
    }
}
