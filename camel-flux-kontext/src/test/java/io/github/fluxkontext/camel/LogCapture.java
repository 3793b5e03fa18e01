package io.github.fluxkontext.camel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * What one class of the component logs while a test runs (log4j2, the tests' logging), as "LEVEL message" lines with
 * the stack traces' messages: for tests of what a log says, and of what it must never say.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final String loggerName;
    private final LoggerConfig loggerConfig;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Class<?> logger) {
        super("capture-" + logger.getSimpleName(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = logger.getName();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        this.loggerConfig = context.getConfiguration().getLoggerConfig(loggerName);
        start();
        loggerConfig.addAppender(this, Level.ALL, null);
        context.updateLoggers();
    }

    /** Captures what {@code logger} logs until closed. */
    static LogCapture of(Class<?> logger) {
        return new LogCapture(logger);
    }

    @Override
    public void append(LogEvent event) {
        if (event.getLoggerName().equals(loggerName)) {
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
                line.append(" | ").append(t);
            }
            lines.add(line.toString());
        }
    }

    /** The lines logged so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The lines at this level that contain the text. */
    List<String> lines(Level level, String text) {
        return lines.stream().filter(line -> line.startsWith(level + " ") && line.contains(text)).toList();
    }

    @Override
    public void close() {
        loggerConfig.removeAppender(getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        stop();
    }
}
