package ai.clawfactory.worker.interpreter;

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
        return new LoadedDefinition(registry.find(workflowType), registry.knownTypes());
    }

    public List<String> knownTypes() {
        return registry.knownTypes();
    }
}
