package io.github.fluxkontext.camel.client;

import java.time.Duration;

/**
 * fal's optional submit settings.
 *
 * @param priority     queue priority (header {@code x-fal-queue-priority}), or null for fal's default
 * @param startTimeout deadline for the job to start running (header {@code x-fal-request-timeout}), or null
 * @param webhookUrl   URL fal calls when the job completes (query {@code fal_webhook}), or null
 */
public record SubmitOptions(QueuePriority priority, Duration startTimeout, String webhookUrl) {
}
