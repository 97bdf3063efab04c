package ai.clawfactory.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one real Temporal dev server for the whole test run (kept in the root
 * context's store and closed when the run ends), injected as a {@link TemporalDevServer} parameter.
 */
public final class TemporalDevServerExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(TemporalDevServerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TemporalDevServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server(extensionContext);
    }

    /** The run's server, started on first use. */
    public static TemporalDevServer server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent("server", k -> new Resource(TemporalDevServer.start()), Resource.class)
                .server;
    }

    private record Resource(TemporalDevServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
