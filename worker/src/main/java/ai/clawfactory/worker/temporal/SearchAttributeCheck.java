package ai.clawfactory.worker.temporal;

import ai.clawfactory.core.Names;
import io.micronaut.context.BeanProvider;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the namespace has our search attributes (Keyword {@value Names#SEARCH_ATTRIBUTE_DEFINITION}
 * and {@value Names#SEARCH_ATTRIBUTE_DEFINITION_VERSION}). Upserting an unregistered one fails every
 * workflow task, so runs are indexed only when both exist; the answer travels to the run in its
 * pinned definition (deterministic on replay). Asked once, on the first run; a missing
 * registration is one warning with the command that fixes it.
 */
@Singleton
public class SearchAttributeCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SearchAttributeCheck.class);
    private static final List<String> NAMES =
            List.of(Names.SEARCH_ATTRIBUTE_DEFINITION, Names.SEARCH_ATTRIBUTE_DEFINITION_VERSION);

    private final BeanProvider<WorkflowServiceStubs> stubs;
    private final BeanProvider<TemporalConnection> connection;
    private volatile Boolean registered;

    /** The stubs are resolved on the first question (in a run's first local activity), not at wiring. */
    SearchAttributeCheck(BeanProvider<WorkflowServiceStubs> stubs, BeanProvider<TemporalConnection> connection) {
        this.stubs = stubs;
        this.connection = connection;
    }

    public boolean registered() {
        Boolean r = registered;
        if (r == null) {
            synchronized (this) {
                if (registered == null) {
                    registered = ask();
                }
                r = registered;
            }
        }
        return r != null && r;
    }

    /** True or false when the server answered; null (ask again next run) when it could not be asked. */
    private Boolean ask() {
        String namespace = connection.get().settings().namespace();
        try {
            OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(connection
                    .get()
                    .settings()
                    .withCredentials(OperatorServiceStubsOptions.newBuilder())
                    .setChannel(stubs.get().getRawChannel())
                    .validateAndBuildWithDefaults());
            ListSearchAttributesResponse r = operator.blockingStub()
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                            .setNamespace(namespace)
                            .build());
            boolean all = NAMES.stream()
                    .allMatch(n -> r.getCustomAttributesMap().get(n) == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
            if (!all) {
                LOG.warn(
                        "Namespace {} lacks the search attributes {} (Keyword), so runs are not indexed by definition. "
                                + "Register them: temporal operator search-attribute create --namespace {} --name {} --type Keyword "
                                + "--name {} --type Keyword",
                        namespace,
                        String.join(", ", NAMES),
                        namespace,
                        NAMES.get(0),
                        NAMES.get(1));
            }
            return all;
        } catch (RuntimeException e) {
            LOG.warn(
                    "Cannot list the search attributes of namespace {} ({}); this run is not indexed by definition",
                    namespace,
                    e.getMessage());
            return null;
        }
    }
}
