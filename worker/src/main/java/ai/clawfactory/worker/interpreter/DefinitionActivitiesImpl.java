package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import jakarta.inject.Singleton;

import java.util.List;

@Singleton
public class DefinitionActivitiesImpl implements DefinitionActivities {

    private final DefinitionRegistry registry;

    public DefinitionActivitiesImpl(DefinitionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public LoadedDefinition loadDefinition(String workflowType) {
        WorkflowDefinition definition = registry.find(workflowType);
        return new LoadedDefinition(definition, registry.knownTypes(), definition == null ? registry.refusal(workflowType) : null);
    }

    public List<String> knownTypes() {
        return registry.knownTypes();
    }
}
