package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.temporal.SearchAttributeCheck;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.BooleanSupplier;

@Singleton
public class DefinitionActivitiesImpl implements DefinitionActivities {

    private final DefinitionRegistry registry;
    private final BooleanSupplier indexed;

    @Inject
    public DefinitionActivitiesImpl(DefinitionRegistry registry, SearchAttributeCheck searchAttributes) {
        this(registry, searchAttributes::registered);
    }

    /** @param indexed whether runs may upsert the search attributes (the namespace has them) */
    public DefinitionActivitiesImpl(DefinitionRegistry registry, BooleanSupplier indexed) {
        this.registry = registry;
        this.indexed = indexed;
    }

    @Override
    public LoadedDefinition loadDefinition(String workflowType) {
        WorkflowDefinition definition = registry.find(workflowType);
        return new LoadedDefinition(definition, registry.knownTypes(), definition == null ? registry.refusal(workflowType) : null,
                definition != null && indexed.getAsBoolean());
    }

    public List<String> knownTypes() {
        return registry.knownTypes();
    }
}
