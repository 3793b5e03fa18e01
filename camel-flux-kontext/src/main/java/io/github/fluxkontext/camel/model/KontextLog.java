package io.github.fluxkontext.camel.model;

/**
 * One log line of a job, as fal's status answer carries it when logs are asked for.
 *
 * @param message   the text
 * @param level     e.g. INFO, STDOUT, ERROR
 * @param source    e.g. USER
 * @param timestamp ISO date-time as fal sent it
 */
public record KontextLog(String message, String level, String source, String timestamp) {
}
