package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fluxkontext.camel.model.FalErrorDetail;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextLog;
import io.github.fluxkontext.camel.model.KontextStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.github.fluxkontext.camel.model.JsonFields.integer;
import static io.github.fluxkontext.camel.model.JsonFields.number;
import static io.github.fluxkontext.camel.model.JsonFields.text;

/** Reads fal's responses: queue answers (job handles, statuses, cancels) into the model, error answers into exceptions. */
final class FalResponseReader {

    private static final Logger LOG = LoggerFactory.getLogger(FalResponseReader.class);
    private static final int BODY_EXCERPT = 2000;
    /** Digits of a billable-units figure before and after the point: far beyond any job's, and bounded so sums stay cheap. */
    private static final int MAX_UNIT_DIGITS = 12;
    static final String NO_KEY_SENT = ". No key was sent: apiKey is not set, and neither FAL_KEY nor FAL_KEY_ID and FAL_KEY_SECRET"
                                      + " are in the environment. Set one of them (a fal key is key_id:key_secret).";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    private final RetryPolicy retryPolicy;
    private final FalCredentials credentials;

    FalResponseReader(ObjectMapper mapper, RetryPolicy retryPolicy, FalCredentials credentials) {
        this.mapper = mapper;
        this.retryPolicy = retryPolicy;
        this.credentials = credentials;
    }

    /** An excerpt of the answer's body for a message, with any key it echoes masked (a gateway may echo the request). */
    String excerpt(FalResponse response, int maxChars) {
        // masked before it is cut: a key cut in half would no longer be recognised
        String text = credentials.redact(response.bodyText(Integer.MAX_VALUE));
        return text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
    }

    /**
     * A submit answer: the new job's handle. Its request id goes into URL paths later, so one that is
     * not a plain token is refused here, with the id in the exception so the job is not lost.
     */
    KontextJob submitted(FalResponse response, String endpointId, Predicate<String> keepUrl) {
        KontextJob job = job(response, endpointId, null, keepUrl);
        try {
            FalUrls.checkRequestId(job.requestId());
        } catch (IllegalArgumentException e) {
            throw new FluxKontextException("fal accepted the job but answered with request id '" + job.requestId()
                                           + "', which cannot be used in its URLs; look the job up at fal", job.requestId(), job.status(), e);
        }
        return job;
    }

    /** A submit or status answer. URLs are kept only when {@code keepUrl} accepts them. */
    KontextJob job(FalResponse response, String endpointId, String knownRequestId, Predicate<String> keepUrl) {
        JsonNode json = tree(response, knownRequestId, "job status");
        // a status answer is about the job we asked for, whatever id its body claims
        String requestId = knownRequestId != null ? knownRequestId : text(json, "request_id");
        if (requestId == null) {
            throw malformed(response, null, "it has no request_id");
        }
        String statusText = text(json, "status");
        KontextStatus status;
        if (statusText == null) {
            // an answer without status is still a job handle (fal's schema requires only request_id and status)
            status = knownRequestId == null ? KontextStatus.IN_QUEUE : null;
            if (status == null) {
                throw malformed(response, requestId, "it has no status");
            }
        } else {
            status = parseStatus(statusText, requestId);
        }
        return new KontextJob(requestId, endpointId, status, integer(json, "queue_position"),
                kept(text(json, "status_url"), keepUrl), kept(text(json, "response_url"), keepUrl),
                kept(text(json, "cancel_url"), keepUrl), logs(json.get("logs")), text(json, "error"),
                text(json, "error_type"), number(json.path("metrics"), "inference_time"));
    }

    /** The answer's body as a JSON object; anything else fails, naming the answer. */
    JsonNode tree(FalResponse response, String requestId, String what) {
        try {
            JsonNode json = mapper.readTree(response.body());
            if (json == null || !json.isObject()) {
                throw malformed(response, requestId, "it is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw malformed(response, requestId, "it is not JSON (" + e.getMessage() + ") while reading the " + what);
        }
    }

    /**
     * The units fal bills for a job, from its result answer's {@code x-fal-billable-units}: a decimal number, which
     * fal sends as a fraction for some models ("3.008"), so it is read exactly. Null when the answer has none; an
     * unreadable one is logged and read as none: the output the user paid for must not be lost to a cost header.
     */
    BigDecimal billableUnits(FalResponse response, String requestId) {
        String units = response.header("x-fal-billable-units");
        if (units == null || units.isBlank()) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(units.strip());
            BigDecimal plain = value.stripTrailingZeros();
            if (value.signum() >= 0 && plain.precision() - plain.scale() <= MAX_UNIT_DIGITS && plain.scale() <= MAX_UNIT_DIGITS) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            LOG.warn("Job {}: fal's x-fal-billable-units '{}' is not a number ({}); the job's cost is not known", requestId,
                    excerptOf(units), notANumber.getMessage());
            return null;
        }
        LOG.warn("Job {}: fal's x-fal-billable-units '{}' is negative or has more than {} digits before or after the point; the"
                 + " job's cost is not known", requestId,
                excerptOf(units), MAX_UNIT_DIGITS);
        return null;
    }

    private String excerptOf(String header) {
        String text = credentials.redact(header);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** A value as JSON bytes, for a request body. */
    byte[] json(Object value, String what) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new FluxKontextException("Cannot write " + what + " as JSON: " + e.getOriginalMessage(), null, null, e);
        }
    }

    /** fal's cancel answer value ({@code status} field), or null. */
    String cancelStatus(FalResponse response) {
        try {
            return text(mapper.readTree(response.body()), "status");
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /** Turns an error answer into an exception carrying status, detail, error type and request id. */
    FluxKontextApiException error(FalResponse response, CallKind kind, String what, String requestId, KontextStatus lastStatus) {
        List<FalErrorDetail> details = new ArrayList<>();
        String errorType = response.header("x-fal-error-type");
        String message = null;
        try {
            JsonNode json = mapper.readTree(response.body());
            if (json != null && json.isObject()) {
                JsonNode detail = json.get("detail");
                if (detail != null && detail.isArray()) {
                    for (JsonNode entry : detail) {
                        details.add(detail(entry));
                    }
                } else if (detail != null && detail.isTextual()) {
                    details.add(new FalErrorDetail(List.of(), detail.asText(), null, null, null));
                }
                if (text(json, "error_type") != null) {
                    errorType = text(json, "error_type");
                }
                message = text(json, "message");
            }
        } catch (IOException | RuntimeException notJson) {
            // not JSON (e.g. an HTML error page from a proxy): the excerpt in the message says what came back
        }
        String id = requestId != null ? requestId : response.header("x-fal-request-id");
        StringBuilder text = new StringBuilder("fal answered HTTP ").append(response.statusCode()).append(" to ").append(what);
        if (id != null) {
            text.append(" (request ").append(id).append(')');
        }
        if (!details.isEmpty()) {
            text.append(": ").append(String.join("; ", details.stream().map(FalErrorDetail::toString).toList()));
        } else if (message != null) {
            text.append(": ").append(message);
        } else if (response.body().length > 0) {
            text.append(": ").append(excerpt(response, 300));
        }
        if (errorType != null) {
            text.append(" [error_type ").append(errorType).append(']');
        }
        // a job's own failure (a webhook callback's payload) was not this client's call: whether it sent a key says nothing
        text.append(hint(response.statusCode(), credentials.isEmpty() && kind != CallKind.FAILED_RESULT));
        return new FluxKontextApiException(credentials.redact(text.toString()), response.statusCode(),
                details.stream().map(detail -> detail.redacted(credentials::redact)).toList(), errorType,
                retryPolicy.isRetryable(kind, response), excerpt(response, BODY_EXCERPT), id, lastStatus);
    }

    private static String hint(int status, boolean noKey) {
        return switch (status) {
            case 401, 403 -> noKey ? NO_KEY_SENT : ". Check the apiKey (or FAL_KEY) and authScheme.";
            case 404 -> ". The request id or endpoint id is not known there, or the result has expired.";
            case 422 -> ". The input was rejected; see the details.";
            case 429 -> ". Too many requests: slow down or raise maxRetries.";
            default -> "";
        };
    }

    private FalErrorDetail detail(JsonNode entry) {
        if (!entry.isObject()) {
            return new FalErrorDetail(List.of(), entry.asText(), null, null, null);
        }
        List<Object> loc = entry.has("loc") ? mapper.convertValue(entry.get("loc"), new TypeReference<List<Object>>() {
        }) : List.of();
        Map<String, Object> ctx = entry.path("ctx").isObject() ? mapper.convertValue(entry.get("ctx"), MAP) : null;
        return new FalErrorDetail(loc, text(entry, "msg"), text(entry, "type"), text(entry, "url"), ctx);
    }

    private static KontextStatus parseStatus(String value, String requestId) {
        try {
            return KontextStatus.valueOf(value);
        } catch (IllegalArgumentException unknown) {
            // fal documents only these three; looping on anything else could wait forever
            throw new FluxKontextException("fal reported status '" + value + "' for job " + requestId
                                           + ", which is none of IN_QUEUE, IN_PROGRESS, COMPLETED; stopped waiting."
                                           + " Check the job with flux-kontext:status later.", requestId, null, null);
        }
    }

    /** Log lines: fal's flat shape {message, level, source, timestamp}, or the older {labels:{level, source}}. */
    private static List<KontextLog> logs(JsonNode logs) {
        if (logs == null || !logs.isArray()) {
            return List.of();
        }
        List<KontextLog> list = new ArrayList<>();
        for (JsonNode entry : logs) {
            JsonNode labels = entry.path("labels");
            list.add(new KontextLog(text(entry, "message"), first(text(entry, "level"), text(labels, "level")),
                    first(text(entry, "source"), text(labels, "source")), text(entry, "timestamp")));
        }
        return list;
    }

    private FluxKontextException malformed(FalResponse response, String requestId, String why) {
        return new FluxKontextException("fal's answer (HTTP " + response.statusCode() + ") cannot be read: " + why
                                        + ". Body: " + excerpt(response, 300), requestId, null, null);
    }

    private static String kept(String url, Predicate<String> keep) {
        return url != null && keep.test(url) ? url : null;
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
