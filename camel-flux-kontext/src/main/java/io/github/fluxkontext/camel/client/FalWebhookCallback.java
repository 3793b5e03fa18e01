package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextJobFailedException;
import io.github.fluxkontext.camel.model.FluxKontextWebhookException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextStatus;

import static io.github.fluxkontext.camel.model.JsonFields.text;

/**
 * fal's completion callback (fal-protocol §10): {@code {"request_id", "gateway_request_id", "status":"OK",
 * "payload": <the output>}}, or {@code "status":"ERROR"} with {@code "error"} (e.g. {@code Invalid status
 * code: 422}) and the error body as {@code payload}. A payload fal could not serialise is {@code null},
 * with {@code payload_error} saying why.
 *
 * @param requestId        fal's request id of the job
 * @param gatewayRequestId fal's gateway request id (differs when fal retried the job itself), or null
 * @param ok               whether the job succeeded ({@code status} OK)
 * @param error            fal's error when it failed, else null
 * @param errorType        the error type of the error body ({@code error_type}), or null
 * @param payload          the output (OK) or error body (ERROR), or null
 * @param payloadError     why fal sent no payload, or null
 */
public record FalWebhookCallback(String requestId, String gatewayRequestId, boolean ok, String error, String errorType,
                                 JsonNode payload, String payloadError) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern STATUS_CODE = Pattern.compile("\\b([1-5]\\d\\d)\\b");
    /** Reads the error body like any error answer of fal's; a job's error is never retried. */
    private static final FalResponseReader ERRORS = new FalResponseReader(MAPPER,
            new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1), SubmitRetry.NONE), FalCredentials.none());

    /**
     * Reads a callback body.
     *
     * @throws FluxKontextWebhookException (400) when it is not a JSON object, has no request id, or a status other than
     *                                     OK and ERROR
     */
    public static FalWebhookCallback parse(byte[] body) {
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            throw invalid("its body is not JSON", null);
        }
        if (json == null || !json.isObject()) {
            throw invalid("its body is not a JSON object", null);
        }
        String requestId = text(json, "request_id");
        if (requestId == null || requestId.isBlank()) {
            throw invalid("its body has no request_id", null);
        }
        try {
            FalUrls.checkRequestId(requestId);
        } catch (IllegalArgumentException e) {
            throw invalid("its request_id is not a plain id", null);
        }
        String status = text(json, "status");
        if (!"OK".equals(status) && !"ERROR".equals(status)) {
            throw invalid("its status is '" + status + "', not OK or ERROR", requestId);
        }
        JsonNode payload = json.get("payload");
        if (payload != null && payload.isNull()) {
            payload = null;
        }
        String errorType = payload != null && text(payload, "error_type") != null ? text(payload, "error_type") : text(json, "error_type");
        return new FalWebhookCallback(requestId, text(json, "gateway_request_id"), "OK".equals(status), text(json, "error"),
                errorType, payload, text(json, "payload_error"));
    }

    /** Whether the callback is about this request id (fal's request id, or its gateway request id). */
    public boolean concerns(String id) {
        return requestId.equals(id) || id.equals(gatewayRequestId);
    }

    /** Whether the callback carries the job's output (it succeeded and fal could send the output). */
    public boolean hasOutput() {
        return ok && payload != null && payload.isObject();
    }

    /** The job as the callback reports it: COMPLETED, with fal's error when it failed. */
    public KontextJob job() {
        return new KontextJob(requestId, null, KontextStatus.COMPLETED, null, null, null, null, List.of(),
                ok ? null : error != null ? error : "unknown error", ok ? null : errorType, null);
    }

    /**
     * Why the job has no output: for a failed job a {@link FluxKontextJobFailedException} (with the error body
     * as a {@link FluxKontextApiException} cause, when it has an HTTP status); for a succeeded one whose output
     * fal could not send, an exception that says to fetch it with {@code flux-kontext:result}.
     */
    public FluxKontextException failure() {
        if (ok) {
            return new FluxKontextException("fal's callback for job " + requestId + " carries no output ("
                                            + (payloadError != null ? payloadError : "no payload")
                                            + "); fetch it with flux-kontext:result", requestId, KontextStatus.COMPLETED, null);
        }
        KontextJob failed = job();
        return new FluxKontextJobFailedException(requestId, failed.error(), errorType, errorBody());
    }

    private FluxKontextApiException errorBody() {
        Matcher code = STATUS_CODE.matcher(error == null ? "" : error);
        if (payload == null || !code.find()) {
            return null;
        }
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(payload);
        } catch (IOException e) {
            return null; // a tree read from JSON writes back; without it the job failure still says what failed
        }
        FalResponse response = new FalResponse(Integer.parseInt(code.group(1)), Map.of(), body, "application/json");
        return ERRORS.error(response, CallKind.FAILED_RESULT, "job " + requestId + " (its webhook callback)", requestId,
                KontextStatus.COMPLETED);
    }

    private static FluxKontextWebhookException invalid(String why, String requestId) {
        return new FluxKontextWebhookException(400, "Webhook callback refused: " + why, requestId, null);
    }

    @Override
    public String toString() {
        // the payload may hold megabytes of data URIs
        return "FalWebhookCallback[requestId=" + requestId + ", ok=" + ok + ", error=" + error + "]";
    }
}
