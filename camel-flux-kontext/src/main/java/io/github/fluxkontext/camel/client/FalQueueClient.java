package io.github.fluxkontext.camel.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.KontextCancellation;
import io.github.fluxkontext.camel.model.KontextJob;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.util.Timeout;

/**
 * fal's queue protocol: submit, status, result, cancel (fal's JS client has it in {@code queue.ts}).
 * Knows nothing of Camel nor of Kontext's output schema. Every call returns at once with a future.
 * <p>
 * Status, result and cancel URLs come from the submit answer only when they are on the base URL's
 * origin; otherwise they are derived from the base URL and the endpoint's app id, because
 * aggregators in front of fal echo fal's own hosts, which their token does not open (and the key must
 * not travel there).
 */
public final class FalQueueClient {

    /** The request id a health check asks about: the nil UUID, which no job has. */
    private static final String PROBE_REQUEST_ID = "00000000-0000-0000-0000-000000000000";
    /** A status event is a few hundred bytes; its logs may add some. */
    private static final long MAX_EVENT_BYTES = 1024 * 1024;

    private final String baseUrl;
    private final String baseOrigin;
    private final long maxResponseSize;
    private final FalCalls calls;
    private final FalResponseReader reader;
    private final Executor callbackExecutor;

    FalQueueClient(FalClientSettings settings, FalCalls calls, FalResponseReader reader, Executor callbackExecutor) {
        this.baseUrl = settings.baseUrl();
        this.baseOrigin = FalUrls.origin(settings.baseUrl());
        this.maxResponseSize = settings.maxResponseSize();
        this.calls = calls;
        this.reader = reader;
        this.callbackExecutor = callbackExecutor;
    }

    /** Submits a job: {@code POST {baseUrl}/{endpointId}}. The returned handle carries the request id. */
    public CompletableFuture<KontextJob> submit(String endpointId, Map<String, Object> input, SubmitOptions options) {
        return guarded(() -> {
            String id = FalUrls.normalizeEndpointId(endpointId);
            String url = FalUrls.join(baseUrl, id);
            if (options.webhookUrl() != null) {
                url += "?fal_webhook=" + URLEncoder.encode(options.webhookUrl(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (options.priority() != null) {
                headers.put("x-fal-queue-priority", options.priority().value());
            }
            if (options.startTimeout() != null) {
                headers.put("x-fal-request-timeout", seconds(options.startTimeout()));
            }
            if (options.mediaExpiration() != null) {
                // fal-js sends the same JSON; newer clients add ACL preferences to it, which are not settled (fal-protocol 8c)
                headers.put("X-Fal-Object-Lifecycle-Preference", "{\"expiration_duration_seconds\": "
                                                                 + options.mediaExpiration().toSeconds() + "}");
            }
            headers.putAll(options.falHeaders()); // checked by SubmitOptions.passThroughProblem before they got here
            FalRequest request = new FalRequest("POST", url, reader.json(input, "the input of " + id), "application/json",
                    headers, baseOrigin, maxResponseSize);
            return calls.send(CallKind.SUBMIT, request).handle((response, error) -> {
                if (error != null) {
                    throw FalCalls.failure("submit a job to " + id, null, null, error, true);
                }
                if (!response.isSuccess()) {
                    throw reader.error(response, CallKind.SUBMIT, "the submit to " + id, null, null);
                }
                return reader.submitted(response, id, this::isOnBaseOrigin);
            });
        });
    }

    /** The job's current status: {@code GET .../requests/{id}/status}. */
    public CompletableFuture<KontextJob> status(KontextJob job, boolean logs) {
        return guarded(() -> get(CallKind.STATUS, job, FalUrls.withQuery(jobUrl(job.statusUrl(), job, "/status"), logs ? "logs=1" : "logs=0"),
                "the status request", "get the status of job ",
                response -> job.withStatusOf(reader.job(response, job.endpointId(), job.requestId(), this::isOnBaseOrigin))));
    }

    /**
     * Opens the job's status stream, {@code GET .../requests/{id}/status/stream} (server-sent events, one
     * status per change, a ping when quiet, closed after COMPLETED), read without a thread of its own. What
     * it sees goes to the listener, in order, on the callback executor. Not retried: a caller that loses the
     * stream polls instead.
     *
     * @param idleTimeout the longest silence (fal pings every 15 s) before the stream counts as broken
     */
    public StatusStream streamStatus(KontextJob job, boolean logs, Duration idleTimeout, StatusStreamListener listener) {
        StatusStream stream = new StatusStream();
        StreamRelay relay = new StreamRelay(job, stream, listener, new SerialExecutor(callbackExecutor));
        try {
            String url = FalUrls.withQuery(FalUrls.appendPath(jobUrl(job.statusUrl(), job, "/status"), "stream"), logs ? "logs=1" : "logs=0");
            FalRequest request = new FalRequest("GET", url, null, null, Map.of("Accept", "text/event-stream"), baseOrigin, maxResponseSize);
            ServerSentEvents events = new ServerSentEvents(Math.min(maxResponseSize, MAX_EVENT_BYTES), relay::event, relay::refused);
            stream.opened(calls.stream(request, events, Timeout.ofMilliseconds(idleTimeout.toMillis()), relay));
        } catch (RuntimeException e) {
            relay.refused("cannot open the status stream: " + e.getMessage());
        }
        return stream;
    }

    /**
     * Moves what a stream sees off the I/O thread, in order, to the listener: events as jobs, and one end
     * (refused or ended), after which nothing more is passed on.
     */
    private final class StreamRelay implements FutureCallback<Void> {
        private final KontextJob job;
        private final StatusStream stream;
        private final StatusStreamListener listener;
        private final SerialExecutor inOrder;
        private boolean over; // only touched in order, on the serial executor

        StreamRelay(KontextJob job, StatusStream stream, StatusStreamListener listener, SerialExecutor inOrder) {
            this.job = job;
            this.stream = stream;
            this.listener = listener;
            this.inOrder = inOrder;
        }

        void event(byte[] data) {
            inOrder.execute(() -> {
                if (over) {
                    return;
                }
                KontextJob update;
                try {
                    update = job.withStatusOf(reader.job(new FalResponse(200, Map.of(), data, "application/json"), job.endpointId(),
                            job.requestId(), FalQueueClient.this::isOnBaseOrigin));
                } catch (RuntimeException unreadable) {
                    stream.close(); // a stream that says something unreadable is no stream to trust: the listener polls instead
                    end(() -> listener.ended(unreadable));
                    return;
                }
                listener.statusEvent(update);
            });
        }

        void refused(String why) {
            inOrder.execute(() -> end(() -> listener.refused(why))); // before the close below reports its cancellation
            stream.close(); // not read: it is no stream of ours
        }

        @Override
        public void completed(Void result) {
            inOrder.execute(() -> end(() -> listener.ended(null)));
        }

        @Override
        public void failed(Exception ex) {
            inOrder.execute(() -> end(() -> listener.ended(ex)));
        }

        @Override
        public void cancelled() {
            inOrder.execute(() -> end(() -> listener.ended(new CancellationException("the status stream was closed"))));
        }

        private void end(Runnable report) {
            if (!over) {
                over = true;
                report.run();
            }
        }
    }

    /**
     * The job's output, as fal sent it, and what fal bills for it: {@code GET .../requests/{id}}. Call it once the
     * job is COMPLETED without an error.
     */
    public CompletableFuture<JobOutput> result(KontextJob job) {
        return guarded(() -> get(CallKind.RESULT, job, jobUrl(job.responseUrl(), job, ""), "the result request", "get the result of job ", response -> {
            if (response.statusCode() == 202) {
                throw new FluxKontextException("The result of job " + job.requestId() + " is not ready yet (HTTP 202)",
                        job.requestId(), job.status(), null);
            }
            return new JobOutput(reader.tree(response, job.requestId(), "result"), reader.billableUnits(response, job.requestId()));
        }));
    }

    /**
     * fal's answer to the result request of a job that completed with an error: it carries the error
     * body (e.g. a 422 detail list), as the returned exception. Asked once, not retried; null when the
     * answer is not an error after all.
     */
    public CompletableFuture<FluxKontextApiException> failedResult(KontextJob job) {
        CompletableFuture<FluxKontextApiException> answer = guarded(() -> get(CallKind.FAILED_RESULT, job,
                jobUrl(job.responseUrl(), job, ""), "the result request", "get the error of job ", response -> null));
        return answer.exceptionally(error -> Futures.unwrap(error) instanceof FluxKontextApiException api ? api : null);
    }

    /**
     * A look at the queue API for a health check: the status of a request id that cannot exist, once, with
     * the credentials. Completes with the HTTP status (404 means reachable and the key accepted, 401 or 403
     * a refused key), or fails when the service cannot be reached.
     */
    public CompletableFuture<Integer> probe(String endpointId) {
        return guarded(() -> {
            String url = FalUrls.responseUrl(baseUrl, endpointId, PROBE_REQUEST_ID) + "/status";
            FalRequest request = new FalRequest("GET", url, null, null, Map.of(), baseOrigin, maxResponseSize);
            return calls.send(CallKind.PROBE, request).handle((response, error) -> {
                if (error != null) {
                    throw FalCalls.failure("reach " + FalUrls.redact(baseUrl), null, null, error, false);
                }
                return response.statusCode();
            });
        });
    }

    /**
     * Asks fal to cancel the job: {@code PUT .../requests/{id}/cancel}. A job that already completed is
     * not an error: the answer says {@code accepted=false}.
     */
    public CompletableFuture<KontextCancellation> cancel(KontextJob job) {
        return cancel(job, CallKind.CANCEL);
    }

    /** A cancel sent because a wait timed out: one attempt, so that the timeout is not stretched by retries. */
    public CompletableFuture<KontextCancellation> cancelOnTimeout(KontextJob job) {
        return cancel(job, CallKind.TIMEOUT_CANCEL);
    }

    private CompletableFuture<KontextCancellation> cancel(KontextJob job, CallKind kind) {
        return guarded(() -> {
            FalRequest request = new FalRequest("PUT", jobUrl(job.cancelUrl(), job, "/cancel"), null, null, Map.of(), baseOrigin, maxResponseSize);
            return calls.send(kind, request).handle((response, error) -> {
                if (error != null) {
                    throw FalCalls.failure("cancel job " + job.requestId(), job.requestId(), job.status(), error, false);
                }
                String value = reader.cancelStatus(response);
                if (response.isSuccess()) {
                    return new KontextCancellation(job.requestId(), value != null ? value : "OK", true);
                }
                // fal answers 400 ALREADY_COMPLETED (some deployments: a {detail} body) when it is too late
                if ((response.statusCode() == 400 || response.statusCode() == 409) && !"NOT_FOUND".equals(value)) {
                    return new KontextCancellation(job.requestId(), value != null ? value : "ALREADY_COMPLETED", false);
                }
                throw reader.error(response, kind, "the cancel request", job.requestId(), job.status());
            });
        });
    }

    /** A GET about a job; a transport failure or an error answer fails the future with the job's request id. */
    private <T> CompletableFuture<T> get(CallKind kind, KontextJob job, String url, String what, String action,
                                         Function<FalResponse, T> read) {
        FalRequest request = new FalRequest("GET", url, null, null, Map.of(), baseOrigin, maxResponseSize);
        return calls.send(kind, request).handle((response, error) -> {
            if (error != null) {
                throw FalCalls.failure(action + job.requestId(), job.requestId(), job.status(), error, false);
            }
            if (!response.isSuccess()) {
                throw reader.error(response, kind, what, job.requestId(), job.status());
            }
            return read.apply(response);
        });
    }

    private boolean isOnBaseOrigin(String url) {
        return baseOrigin != null && baseOrigin.equals(FalUrls.origin(url));
    }

    /** The server's URL for the job when it is on the base URL's origin, else the one derived from the base URL. */
    private String jobUrl(String fromServer, KontextJob job, String derivedSuffix) {
        if (fromServer != null && isOnBaseOrigin(fromServer)) {
            return fromServer;
        }
        if (job.endpointId() == null) {
            throw new IllegalArgumentException("job " + job.requestId() + " has no endpoint id to derive its URLs from");
        }
        return FalUrls.responseUrl(baseUrl, job.endpointId(), job.requestId()) + derivedSuffix;
    }

    /** Runs a call's set-up so that a mistake in it fails the future instead of the caller's thread. */
    static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String seconds(Duration duration) {
        return String.valueOf(duration.toMillis() / 1000.0);
    }
}
