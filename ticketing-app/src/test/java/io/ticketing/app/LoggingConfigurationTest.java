package io.ticketing.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logging configuration the application ships (the tests run with test-support's own): a file logback cannot
 * parse makes it fall back to its defaults, which print its own status lines and every log line on stdout.
 */
class LoggingConfigurationTest {

    @Test
    void the_shipped_configuration_parses_and_logs_on_stderr() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);

        configurator.doConfigure(LoggingConfigurationTest.class.getResource("/logback.xml"));

        assertThat(context.getStatusManager().getCopyOfStatusList()).as("logback's complaints")
                .noneMatch(status -> status.getLevel() >= Status.WARN);
        ConsoleAppender<?> console = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        assertThat(console.getTarget()).isEqualTo("System.err");
    }
}
