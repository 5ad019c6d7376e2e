package io.npid.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.junit.jupiter.api.Test;

class LogbackConfigTest {

    @Test
    void shouldParseProductLogbackWithoutErrorsAndKeepLibrariesQuiet() throws JoranException {
        final URL config = getClass().getResource("/logback.xml");
        assertNotNull(config, "logback.xml is on the class path");
        final LoggerContext context = new LoggerContext();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);

        configurator.doConfigure(config);

        final long errors = context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getLevel() >= Status.WARN)
                .count();
        assertEquals(
                0,
                errors,
                () -> context.getStatusManager().getCopyOfStatusList().toString());
        assertEquals(Level.WARN, context.getLogger("org.apache.kafka").getLevel());
        assertEquals(Level.WARN, context.getLogger("ai.djl").getLevel());
        assertEquals(Level.INFO, context.getLogger("io.npid").getLevel());
        context.stop();
    }
}
