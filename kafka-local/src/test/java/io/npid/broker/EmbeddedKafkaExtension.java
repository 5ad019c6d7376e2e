package io.npid.broker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that shares one {@link EmbeddedKafkaBroker} among all tests of a test JVM.
 *
 * <p>The broker starts before the first test class that uses the extension and stops when the test run ends
 * (it is kept in the root extension store, which closes it). Tests get it as a parameter of type
 * {@link EmbeddedKafkaBroker}, its bootstrap servers as a {@code @BootstrapServers String} parameter, or through
 * {@link #bootstrapServers()}. Tests share the broker, so each should use its own topic names, e.g.
 * {@code Topics.withPrefix(EmbeddedKafkaExtension.uniquePrefix())}. Auto topic creation is off.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class MyIT {
 *     @Test
 *     void shouldDoSomething(@EmbeddedKafkaExtension.BootstrapServers String bootstrap) { ... }
 * }
 * }</pre>
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, ParameterResolver {

    /** Marks a String parameter that receives the shared broker's bootstrap servers. */
    @Target(ElementType.PARAMETER)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface BootstrapServers {}

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static volatile EmbeddedKafkaBroker shared;

    @Override
    public void beforeAll(final ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        final Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedKafkaBroker.class
                || (type == String.class && parameter.isAnnotated(BootstrapServers.class));
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        final EmbeddedKafkaBroker broker = broker(context);
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class ? broker : broker.bootstrapServers();
    }

    /**
     * The shared broker's bootstrap servers, for code that cannot take a parameter.
     *
     * @return host:port
     * @throws IllegalStateException if no test class with this extension has started yet
     */
    public static String bootstrapServers() {
        final EmbeddedKafkaBroker broker = shared;
        if (broker == null) {
            throw new IllegalStateException("The shared Kafka broker is not running: annotate the test class with "
                    + "@ExtendWith(EmbeddedKafkaExtension.class)");
        }
        return broker.bootstrapServers();
    }

    /**
     * A topic prefix no other test in this JVM gets, e.g. {@code it3.}.
     *
     * @return the prefix
     */
    public static String uniquePrefix() {
        return "it" + PREFIXES.incrementAndGet() + ".";
    }

    private static EmbeddedKafkaBroker broker(final ExtensionContext context) {
        // The root store outlives every test class and closes its AutoCloseable values when the run ends.
        final EmbeddedKafkaBroker broker = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        EmbeddedKafkaBroker.class, key -> EmbeddedKafkaBroker.start(null), EmbeddedKafkaBroker.class);
        shared = broker;
        return broker;
    }
}
