package ai.clawfactory.bench.bare;

/** Does nothing: launched by the benchmark to time the JVM's own start and exit with the unit's flags. */
public final class EmptyMain {

    private EmptyMain() {}

    public static void main(String[] args) {
        // Intentionally empty.
    }
}
