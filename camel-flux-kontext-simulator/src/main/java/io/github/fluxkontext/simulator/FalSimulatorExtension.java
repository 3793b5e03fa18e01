package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * JUnit 5 extension running a {@link FalSimulator}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FalSimulatorExtension FAL = FalSimulatorExtension.create();
 * }</pre>
 *
 * In a static field the simulator starts before all tests of the class and stops after them; in an
 * instance field it runs per test. Before each test the journal and the fault plan are cleared
 * (jobs are kept). Test and lifecycle methods can take a {@link FalSimulator} parameter.
 */
public final class FalSimulatorExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private final Consumer<FalSimulatorBuilder> customizer;
    private volatile FalSimulator simulator;
    private volatile boolean perClass;

    private FalSimulatorExtension(Consumer<FalSimulatorBuilder> customizer) {
        this.customizer = customizer;
    }

    /** A simulator with the defaults. */
    public static FalSimulatorExtension create() {
        return new FalSimulatorExtension(b -> { });
    }

    /** A simulator configured by the customizer, e.g. {@code b -> b.runners(1).imageScale(0.25)}. */
    public static FalSimulatorExtension create(Consumer<FalSimulatorBuilder> customizer) {
        return new FalSimulatorExtension(Objects.requireNonNull(customizer, "customizer"));
    }

    public String baseUrl() {
        return simulator().baseUrl();
    }

    public String apiKey() {
        return simulator().apiKey();
    }

    /** The running simulator. */
    public FalSimulator simulator() {
        FalSimulator s = simulator;
        if (s == null) {
            throw new IllegalStateException("The fal simulator is not running (outside the test lifecycle?)");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // only called for an extension in a static field
        perClass = true;
        simulator = startNew();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (simulator == null) {
            simulator = startNew(); // instance field: one simulator per test
        } else {
            simulator.journal().clear();
            simulator.faults().clear();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == FalSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return simulator();
    }

    private FalSimulator startNew() {
        FalSimulatorBuilder b = FalSimulator.builder();
        customizer.accept(b);
        return b.start();
    }

    private void stop() {
        FalSimulator s = simulator;
        simulator = null;
        if (s != null) {
            s.close();
        }
    }
}
