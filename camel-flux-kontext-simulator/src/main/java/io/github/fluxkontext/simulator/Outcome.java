package io.github.fluxkontext.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a job ended: what its result URL answers, and what its status reports.
 *
 * @param httpStatus the result's status code
 * @param body       the result's JSON body (the model output, or an error body)
 * @param headers    extra result headers (e.g. {@code X-Fal-Error-Type})
 * @param error      status {@code error} of a failed job, else null
 * @param errorType  status {@code error_type} of a failed job, else null
 * @param images     what to render for a successful job's image files
 * @param imageUrls  the URLs put in the output (file URLs or data URIs)
 */
record Outcome(int httpStatus, Map<String, Object> body, Map<String, String> headers, String error,
               String errorType, List<ImageSpec> images, List<String> imageUrls) {

    static final String ERROR_TYPE_HEADER = "X-Fal-Error-Type";
    static final String TIMEOUT_TYPE_HEADER = "X-Fal-Request-Timeout-Type";
    /** On a successful result: what fal bills for the request, see {@link BillableUnits}. */
    static final String BILLABLE_UNITS_HEADER = "x-fal-billable-units";

    /** @param headers the result's extra headers ({@code x-fal-billable-units}) */
    static Outcome success(Map<String, Object> output, List<ImageSpec> images, List<String> urls,
                           Map<String, String> headers) {
        return new Outcome(200, output, Map.copyOf(headers), null, null, List.copyOf(images), List.copyOf(urls));
    }

    /** An infrastructure error in fal's request-error shape, with the {@code X-Fal-Error-Type} header. */
    static Outcome requestError(int status, String errorType, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ERROR_TYPE_HEADER, errorType);
        return new Outcome(status, Json.requestError(message, errorType), headers, message, errorType, List.of(),
                List.of());
    }

    /**
     * The model rejected the input. The status {@code error} text copies the webhook ERROR example
     * ("Invalid status code: 422"); the {@code error_type} value is not documented by fal
     * (unsettled) -- "validation_error" is our choice.
     */
    static Outcome validation(List<Map<String, Object>> errors) {
        return new Outcome(422, Json.validationBody(errors), Map.of(), "Invalid status code: 422", "validation_error",
                List.of(), List.of());
    }

    /**
     * A cancelled job. How fal finally reports a cancelled request is unsettled (fal-protocol §5);
     * we use the request-error table's {@code client_cancelled} (499).
     */
    static Outcome cancelled() {
        return requestError(499, "client_cancelled", "Request was cancelled");
    }

    /** The start deadline of {@code x-fal-request-timeout} passed while the job was still queued. */
    static Outcome userTimeout() {
        Outcome o = requestError(504, "request_timeout", "Request timed out");
        Map<String, String> headers = new LinkedHashMap<>(o.headers());
        headers.put(TIMEOUT_TYPE_HEADER, "user");
        return new Outcome(o.httpStatus(), o.body(), headers, o.error(), o.errorType(), List.of(), List.of());
    }

    boolean failed() {
        return error != null;
    }
}
