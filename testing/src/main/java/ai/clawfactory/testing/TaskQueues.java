package ai.clawfactory.testing;

import java.lang.reflect.Method;
import java.util.UUID;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A task queue of a test's own, so that tests sharing a dev server never take each other's
 * tasks: {@code <TestClass>-<testMethod>-<8 random hex digits>}, e.g.
 * {@code AlertsIT-runsFailingAtOnceGiveOneAlert-3f9c01ab}.
 */
public final class TaskQueues {

    private TaskQueues() {}

    public static String forTest(Class<?> testClass, String method) {
        return testClass.getSimpleName() + "-" + method + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** For the current test method (or the class alone in a class-level context). */
    public static String forTest(ExtensionContext context) {
        return forTest(
                context.getRequiredTestClass(),
                context.getTestMethod().map(Method::getName).orElse("all"));
    }

    public static String forTest(TestInfo info) {
        return forTest(
                info.getTestClass().orElseThrow(),
                info.getTestMethod().map(Method::getName).orElse("all"));
    }
}
