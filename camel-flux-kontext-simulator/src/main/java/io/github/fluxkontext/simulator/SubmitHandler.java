package io.github.fluxkontext.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@code POST /{endpoint_id}}: queue a job and answer its IN_QUEUE status (or, for the sync host, its result). */
final class SubmitHandler implements RouteHandler {

    static final String TIMEOUT_HEADER = "x-fal-request-timeout";
    static final String PRIORITY_HEADER = "x-fal-queue-priority";
    static final String LIFECYCLE_HEADER = "x-fal-object-lifecycle-preference";
    /** Longer lifetimes count as "never expires" (fal's JS client suggests 31536000000 s for unlimited). */
    private static final long MAX_MEDIA_LIFETIME_SECONDS = Duration.ofDays(365L * 100).toSeconds();
    private static final Duration SYNC_WAIT_SLACK = Duration.ofSeconds(60);

    private final SimulatorContext ctx;

    SubmitHandler(SimulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Reply handle(Request req, Route route) {
        Optional<EndpointId> parsed = EndpointId.parse(route.path());
        if (parsed.isEmpty()) {
            return Reply.json(404, Json.detail("Application not found: " + route.path()));
        }
        EndpointId endpoint = parsed.get();
        Duration startTimeout;
        Duration mediaLifetime;
        try {
            startTimeout = startTimeout(req.header(TIMEOUT_HEADER));
            mediaLifetime = mediaLifetime(req.header(LIFECYCLE_HEADER));
        } catch (IllegalArgumentException e) {
            return Reply.json(400, Json.requestError(e.getMessage(), "bad_request"))
                    .header(Outcome.ERROR_TYPE_HEADER, "bad_request");
        }

        JsonNode input = null;
        List<Map<String, Object>> errors = List.of();
        if (req.body().length == 0) {
            input = Json.MAPPER.createObjectNode(); // the JS client sends no body for an undefined input
        } else {
            try {
                input = Json.readTree(req.body());
            } catch (IOException e) {
                errors = KontextValidator.jsonDecodeError("Invalid JSON body: " + Json.shortMessage(e));
            }
        }
        if (input != null) {
            errors = KontextValidator.validate(endpoint, input);
        }
        if (input != null && !input.isObject()) {
            input = null;
        }
        // fal's sync host (fal.run) answers with the model's own response, so a bad input is a direct 422.
        boolean syncHost = "fal.run".equalsIgnoreCase(req.header(Request.TARGET_HOST_HEADER));
        if (!errors.isEmpty() && (ctx.config.validateAtSubmit() || syncHost)) {
            return Reply.json(422, Json.validationBody(errors));
        }

        String webhook = req.queryParam("fal_webhook");
        Job job = ctx.engine.submit(endpoint, input, input == null ? Map.of() : Json.toMap(input), errors,
                "low".equalsIgnoreCase(req.header(PRIORITY_HEADER)),
                webhook == null || webhook.isBlank() ? null : webhook, startTimeout, mediaLifetime);
        if (syncHost) {
            return waitForResult(job);
        }
        // A fast queue may already report IN_PROGRESS here, as real fal can (fal-protocol §1 note 3).
        Map<String, Object> body = StatusJson.of(job, job.view(), ctx.engine.queuePosition(job), ctx.urls, null);
        if (webhook != null && !webhook.isBlank()) {
            body.put("gateway_request_id", job.requestId); // equal to request_id until a retry happens
        }
        return Reply.json(200, body).requestId(job.requestId);
    }

    /** Seconds as fal's clients send them ("30" or "30.0"); must be positive. */
    static Duration startTimeout(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(header.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid " + TIMEOUT_HEADER + " header: " + header, e);
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("Invalid " + TIMEOUT_HEADER + " header: must be > 0 seconds");
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /**
     * How long the output files stay downloadable, from {@code X-Fal-Object-Lifecycle-Preference}
     * ({@code {"expiration_duration_seconds": N}}, fal-protocol §8c); null when the header is absent or
     * sets no expiration (fal's JS client sends only {@code initial_acl} for "never"). fal does not say
     * how it answers a malformed value (unsettled); the safe reading is to refuse it like a malformed
     * {@code x-fal-request-timeout} (400 {@code bad_request}) rather than ignore it, since the caller
     * asked for its images to be deleted and would otherwise believe they will be. So: not a JSON
     * object, or an {@code expiration_duration_seconds} that is not a positive integer, is refused.
     */
    static Duration mediaLifetime(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        JsonNode preference;
        try {
            preference = Json.MAPPER.readTree(header);
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid " + LIFECYCLE_HEADER + " header: not JSON", e);
        }
        if (preference == null || !preference.isObject()) {
            throw new IllegalArgumentException("Invalid " + LIFECYCLE_HEADER + " header: must be a JSON object");
        }
        JsonNode seconds = preference.get("expiration_duration_seconds");
        if (seconds == null || seconds.isNull()) {
            return null;
        }
        if (!seconds.isIntegralNumber() || !seconds.canConvertToLong() || seconds.asLong() <= 0) {
            throw new IllegalArgumentException("Invalid " + LIFECYCLE_HEADER
                    + " header: expiration_duration_seconds must be a positive integer");
        }
        return seconds.asLong() > MAX_MEDIA_LIFETIME_SECONDS ? null : Duration.ofSeconds(seconds.asLong());
    }

    /**
     * The sync host holds the connection until the job is done, then answers like the result URL;
     * no thread waits meanwhile. A job that takes far longer than the timings say is cancelled (504).
     */
    private Reply waitForResult(Job job) {
        LiveSettings.Timings t = ctx.settings.timings();
        Duration limit = t.queueTime().plus(t.runTime()).plus(SYNC_WAIT_SLACK);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        ScheduledFuture<?> timer = ctx.scheduler.schedule(() -> {
            Reply timedOut = Reply.json(504, Json.requestError("Request timed out", "request_timeout"))
                    .header(Outcome.ERROR_TYPE_HEADER, "request_timeout").requestId(job.requestId);
            if (answer.complete(timedOut)) {
                ctx.engine.cancel(job);
            }
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
        job.done().thenAccept(j -> {
            timer.cancel(false);
            answer.complete(ResultHandler.outcomeReply(j, j.view().outcome()));
        });
        return Reply.later(answer);
    }
}
