package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentTooLongException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.RequestNotExecutedException;

/**
 * The one place that decides whether a failed call is sent again, and when. Modelled on fal's JS
 * client ({@code retry.ts}): exponential backoff from {@code baseDelay}, doubled per retry, capped at
 * {@code maxDelay}, with ±25% jitter; unlike fal's clients it honours {@code Retry-After} (seconds or
 * HTTP date), capped at {@code maxDelay} too.
 * <ul>
 * <li>Status, result, cancel, upload, download: retried on 429, 500, 502, 503, 504 and I/O errors.</li>
 * <li>Submit: see {@link SubmitRetry}; a 429 or 503 counts as "no job was created" only without an
 * {@code x-fal-request-id}.</li>
 * <li>Never: a 504 with {@code X-Fal-Request-Timeout-Type: user} (the caller's own start deadline
 * expired), other 4xx, an answer larger than allowed (body or headers), the result of a job that failed (its answer is
 * the error, and it will not change), the cancel sent when a wait times out (one attempt), the fetch of fal's webhook
 * keys (a callback waits for it, and fal delivers the callback again).</li>
 * </ul>
 */
public final class RetryPolicy {

    static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 500, 502, 503, 504);
    /** Statuses that say the request was turned away before a job was created. */
    static final Set<Integer> SUBMIT_SAFE_STATUSES = Set.of(429, 503);

    private final int maxRetries;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final SubmitRetry submitRetry;

    public RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, SubmitRetry submitRetry) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, was " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay.compareTo(baseDelay) < 0 ? baseDelay : maxDelay;
        this.submitRetry = submitRetry;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Whether an answer with this status is transient: worth trying again later. */
    public static boolean isTransient(FalResponse response) {
        return TRANSIENT_STATUSES.contains(response.statusCode()) && !isUserTimeout(response);
    }

    /** A 504 caused by the caller's own {@code x-fal-request-timeout}: trying again cannot help. */
    public static boolean isUserTimeout(FalResponse response) {
        return response.statusCode() == 504 && "user".equalsIgnoreCase(response.header("x-fal-request-timeout-type"));
    }

    /**
     * The delay before retrying a call that got this answer, or empty when it must not be retried.
     *
     * @param retriesDone retries already made for this call
     */
    public Optional<Duration> afterResponse(CallKind kind, int retriesDone, FalResponse response) {
        if (retriesDone >= maxRetries || !isRetryable(kind, response)) {
            return Optional.empty();
        }
        Duration delay = backoff(retriesDone);
        Optional<Duration> advertised = parseRetryAfter(response.header("retry-after"), Instant.now());
        if (advertised.isPresent() && advertised.get().compareTo(delay) > 0) {
            delay = advertised.get().compareTo(maxDelay) > 0 ? maxDelay : advertised.get();
        }
        return Optional.of(delay);
    }

    /**
     * Whether this policy sends a call of this kind again after this answer (given retries left): what
     * {@code FluxKontextApiException.isRetryable()} reports, so that an error handler that redelivers on it
     * never pays for a job twice.
     */
    public boolean isRetryable(CallKind kind, FalResponse response) {
        if (!isTransient(response) || kind.singleAttempt() || kind == CallKind.FAILED_RESULT) {
            return false;
        }
        return kind != CallKind.SUBMIT || submitMayRetry(turnedAwayBeforeQueueing(response));
    }

    /**
     * Whether a failed submit's answer shows that no job exists: 429 or 503 with no {@code x-fal-request-id}.
     * fal's queue names every request it accepted with that header; a gateway in front of it that answers
     * 503 after forwarding passes it on. (fal's Python client trusts 5xx only when the header is absent,
     * too.) A gateway that forwards and then answers 503 without the header remains a risk no client can
     * see; {@code submitRetry=none} avoids it, at the price of no retries.
     */
    static boolean turnedAwayBeforeQueueing(FalResponse response) {
        return turnedAwayBeforeQueueing(response.statusCode(), response.header("x-fal-request-id"));
    }

    private static boolean turnedAwayBeforeQueueing(int statusCode, String falRequestId) {
        return SUBMIT_SAFE_STATUSES.contains(statusCode) && falRequestId == null;
    }

    /**
     * Whether a submit that fal (or the gateway before it) answered with this error status certainly created no
     * job: a client error other than 408 and 429 (the request was refused as it stands), or a 429 or 503 without
     * an {@code x-fal-request-id} (turned away before queueing, as {@link #turnedAwayBeforeQueueing}). Any other
     * error answer may come from a job that exists.
     *
     * @param falRequestId the answer's {@code x-fal-request-id} header, or null
     */
    public static boolean submitCreatedNoJob(int statusCode, String falRequestId) {
        if (statusCode >= 400 && statusCode < 500 && statusCode != 408 && statusCode != 429) {
            return true;
        }
        return turnedAwayBeforeQueueing(statusCode, falRequestId);
    }

    /** The delay before retrying a call that failed with this error, or empty when it must not be retried. */
    public Optional<Duration> afterError(CallKind kind, int retriesDone, Throwable error) {
        if (retriesDone >= maxRetries || kind.singleAttempt() || !(error instanceof IOException)
            || error instanceof ContentTooLongException || error instanceof MessageConstraintException) {
            return Optional.empty();
        }
        if (kind == CallKind.SUBMIT && !submitMayRetry(neverReachedServer(error))) {
            return Optional.empty();
        }
        return Optional.of(backoff(retriesDone));
    }

    /**
     * Whether the request certainly never reached the server, so no job can have been created: the
     * connection was refused, could not be opened in time, the host is unknown, or the request was
     * never written.
     */
    public static boolean neverReachedServer(Throwable error) {
        return error instanceof ConnectException || error instanceof ConnectTimeoutException
               || error instanceof UnknownHostException || error instanceof NoRouteToHostException
               || error instanceof RequestNotExecutedException || error instanceof ConnectionRequestTimeoutException;
    }

    private boolean submitMayRetry(boolean certainlyNotCreated) {
        return switch (submitRetry) {
            case SAFE -> certainlyNotCreated;
            case ALL -> true;
            case NONE -> false;
        };
    }

    /** {@code baseDelay * 2^retriesDone} times a jitter of 0.75 to 1.25, then capped: never longer than {@code maxDelay}. */
    Duration backoff(int retriesDone) {
        double exponential = baseDelay.toMillis() * Math.pow(2, Math.min(retriesDone, 30));
        double jittered = exponential * (0.75 + ThreadLocalRandom.current().nextDouble() * 0.5);
        return Duration.ofMillis(Math.max(1, Math.round(Math.min(jittered, maxDelay.toMillis()))));
    }

    /** Parses {@code Retry-After}: delta seconds, or an HTTP date (RFC 7231). Empty when absent or unreadable. */
    public static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration until = Duration.between(now, at);
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxRetries=" + maxRetries + ", baseDelay=" + baseDelay + ", maxDelay=" + maxDelay
               + ", submitRetry=" + submitRetry + "]";
    }
}
