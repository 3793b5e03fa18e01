package io.github.fluxkontext.camel.model;

/**
 * A job's queue status as fal reports it. fal has no failure state: a failed job is
 * {@link #COMPLETED} with an error.
 */
public enum KontextStatus {
    IN_QUEUE,
    IN_PROGRESS,
    COMPLETED
}
