package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.definition.AlertsDefinition;
import ai.clawfactory.core.definition.WorkflowDefinition;
import ai.clawfactory.worker.alert.AlertDefaults;
import ai.clawfactory.worker.definition.DefinitionRegistry;
import ai.clawfactory.worker.temporal.SearchAttributeCheck;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

@Singleton
public class DefinitionActivitiesImpl implements DefinitionActivities {

    private final DefinitionRegistry registry;
    private final BooleanSupplier indexed;

    private final Supplier<AlertsDefinition> alertDefaults;

    @Inject
    public DefinitionActivitiesImpl(
            DefinitionRegistry registry, SearchAttributeCheck searchAttributes, AlertDefaults alertDefaults) {
        this(registry, searchAttributes::registered, alertDefaults);
    }

    /** @param indexed whether runs may upsert the search attributes (the namespace has them) */
    public DefinitionActivitiesImpl(DefinitionRegistry registry, BooleanSupplier indexed) {
        this(registry, indexed, () -> null);
    }

    /** @param alertDefaults the worker's alerts block for definitions without one (null: none) */
    public DefinitionActivitiesImpl(
            DefinitionRegistry registry, BooleanSupplier indexed, Supplier<AlertsDefinition> alertDefaults) {
        this.registry = registry;
        this.indexed = indexed;
        this.alertDefaults = alertDefaults;
    }

    @Override
    public LoadedDefinition loadDefinition(String workflowType) {
        WorkflowDefinition definition = registry.find(workflowType);
        // The worker's default alerts are pinned with the definition, so a run replays with the block it started with.
        AlertsDefinition defaults = alertDefaults.get();
        if (definition != null && definition.alerts() == null && defaults != null) {
            definition = definition.withAlerts(defaults);
        }
        return new LoadedDefinition(
                definition,
                registry.knownTypes(),
                definition == null ? registry.refusal(workflowType) : null,
                definition != null && indexed.getAsBoolean());
    }

    public List<String> knownTypes() {
        return registry.knownTypes();
    }
}
