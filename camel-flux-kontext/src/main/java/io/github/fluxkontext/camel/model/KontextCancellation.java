package io.github.fluxkontext.camel.model;

/**
 * fal's answer to a cancel.
 *
 * @param requestId the job
 * @param status    fal's value: {@code CANCELLATION_REQUESTED}, {@code OK} or {@code ALREADY_COMPLETED}
 * @param accepted  whether fal took the cancel (a 2xx answer); false when the job had already completed
 */
public record KontextCancellation(String requestId, String status, boolean accepted) {
}
