package ai.clawfactory.worker.interpreter;

import ai.clawfactory.core.Names;
import io.temporal.common.SearchAttributeKey;

/** The typed search attributes runs are indexed by (registered on the server: see {@code SearchAttributeCheck}). */
final class SearchAttributes {

    static final SearchAttributeKey<String> DEFINITION =
            SearchAttributeKey.forKeyword(Names.SEARCH_ATTRIBUTE_DEFINITION);
    static final SearchAttributeKey<String> DEFINITION_VERSION =
            SearchAttributeKey.forKeyword(Names.SEARCH_ATTRIBUTE_DEFINITION_VERSION);

    private SearchAttributes() {}
}
