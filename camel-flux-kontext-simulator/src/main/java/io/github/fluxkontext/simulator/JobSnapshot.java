package io.github.fluxkontext.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as it was at one moment.
 *
 * @param requestId     fal's request id (a UUID)
 * @param endpointId    the full endpoint id it was submitted to, e.g. {@code fal-ai/flux-pro/kontext/max}
 * @param appId         the app part used in the queue URLs, e.g. {@code fal-ai/flux-pro}
 * @param input         the submitted JSON input (empty if the body was not a JSON object)
 * @param status        {@code IN_QUEUE}, {@code IN_PROGRESS} or {@code COMPLETED}
 * @param queuePosition 0-based number of jobs ahead while {@code IN_QUEUE}, else null
 * @param error         the error message of a failed job, else null
 * @param errorType     the error type of a failed job, else null
 * @param cancelled     whether a cancel was accepted for it
 * @param createdAt     when it was submitted
 * @param completedAt   when it completed, else null
 * @param imageUrls     the image URLs of a successful job (file URLs, or data URIs with {@code sync_mode}), else empty
 */
public record JobSnapshot(String requestId, String endpointId, String appId, Map<String, Object> input, String status,
                          Integer queuePosition, String error, String errorType, boolean cancelled, Instant createdAt,
                          Instant completedAt, List<String> imageUrls) {
}
