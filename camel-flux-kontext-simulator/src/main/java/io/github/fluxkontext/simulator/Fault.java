package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One injected misbehaviour, built fluently and armed with {@code sim.faults().add(fault)}.
 *
 * <pre>{@code
 * sim.faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("2").times(2));
 * sim.faults().add(Fault.on(FalOperation.STATUS).status(503).probability(0.3).always());
 * sim.faults().add(Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));
 * }</pre>
 *
 * An HTTP fault with nothing but matching rules answers 500. A fault is copied when added, so one
 * instance can be added several times.
 */
public final class Fault {

    private final FalOperation operation;
    private Integer status;
    private String body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean dropBefore;
    private boolean dropAfter;
    private Duration delay;
    private Integer jobStatus;
    private String jobErrorType;
    private String jobMessage;
    private int times = 1;
    private double probability = 1.0;
    private String requestId;

    private Fault(FalOperation operation) {
        this.operation = operation;
    }

    /**
     * A fault for one operation; null means any HTTP operation (never {@link FalOperation#JOB}).
     */
    public static Fault on(FalOperation op) {
        return new Fault(op);
    }

    /** Answer this HTTP status with a fal-style JSON body (unless {@link #body(String)} is given). */
    public Fault status(int code) {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + code);
        }
        requireHttp("status");
        this.status = code;
        return this;
    }

    /** Adds a {@code Retry-After} header, verbatim (seconds or an HTTP date). */
    public Fault retryAfter(String value) {
        return header("Retry-After", value);
    }

    /** Adds a response header, e.g. {@code ("X-Fal-Request-Timeout-Type", "user")}. */
    public Fault header(String name, String value) {
        requireHttp("header");
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The JSON body to answer instead of the default one. */
    public Fault body(String json) {
        requireHttp("body");
        this.body = Objects.requireNonNull(json, "json");
        return this;
    }

    /** The request is read but not handled (no job is created); the connection is closed with no answer. */
    public Fault dropConnection() {
        requireHttp("dropConnection");
        this.dropBefore = true;
        return this;
    }

    /** The request is handled normally (a submit creates its job), then the connection is closed instead of answering. */
    public Fault dropConnectionAfterHandling() {
        requireHttp("dropConnectionAfterHandling");
        this.dropAfter = true;
        return this;
    }

    /** Answer late: wait this long (on the scheduler, no thread is held), then go on as usual. */
    public Fault delay(Duration d) {
        requireHttp("delay");
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        this.delay = d;
        return this;
    }

    /**
     * Only with {@code on(JOB)}: the job completes with this error; its status shows {@code error}
     * and {@code error_type}, its result answers {@code httpStatus} with
     * {@code {"detail":message,"error_type":errorType}} and header {@code X-Fal-Error-Type}.
     */
    public Fault failJob(int httpStatus, String errorType, String message) {
        if (operation != FalOperation.JOB) {
            throw new IllegalStateException("failJob is only for Fault.on(FalOperation.JOB)");
        }
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("a failed job answers a 4xx or 5xx status, not " + httpStatus);
        }
        this.jobStatus = httpStatus;
        this.jobErrorType = Objects.requireNonNull(errorType, "errorType");
        this.jobMessage = Objects.requireNonNull(message, "message");
        return this;
    }

    /** Applies to the next n matching requests (default 1). */
    public Fault times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        this.times = n;
        return this;
    }

    /** Applies to every matching request until the plan is cleared. */
    public Fault always() {
        this.times = -1;
        return this;
    }

    /** Applies to each matching request with this probability (drawn from the plan's seeded Random). */
    public Fault probability(double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("probability must be within 0..1");
        }
        this.probability = p;
        return this;
    }

    /** Only requests (or the job) with this request id. */
    public Fault forRequestId(String id) {
        this.requestId = Objects.requireNonNull(id, "requestId");
        return this;
    }

    private void requireHttp(String what) {
        if (operation == FalOperation.JOB) {
            throw new IllegalStateException(what + " is for HTTP faults; Fault.on(JOB) only takes failJob");
        }
    }

    // --- read by the simulator -------------------------------------------------------------

    FalOperation operation() {
        return operation;
    }

    boolean matches(FalOperation op, String id) {
        if (operation == null ? op == FalOperation.JOB : operation != op) {
            return false;
        }
        return requestId == null || requestId.equals(id);
    }

    Integer statusCode() {
        return status;
    }

    String bodyJson() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }

    boolean dropsBeforeHandling() {
        return dropBefore;
    }

    boolean dropsAfterHandling() {
        return dropAfter;
    }

    Duration delayDuration() {
        return delay;
    }

    /** Whether this HTTP fault replaces the normal answer by its own status/body. */
    boolean replacesAnswer() {
        if (status != null || body != null) {
            return true;
        }
        // headers alone do not make an answer; a fault with no other effect is a plain 500
        return !dropBefore && !dropAfter && delay == null;
    }

    int effectiveStatus() {
        return status != null ? status : 500;
    }

    int jobStatus() {
        return jobStatus != null ? jobStatus : 500;
    }

    String jobErrorType() {
        return jobErrorType != null ? jobErrorType : "runner_server_error";
    }

    String jobMessage() {
        return jobMessage != null ? jobMessage : "Runner server error";
    }

    int initialTimes() {
        return times;
    }

    double probabilityValue() {
        return probability;
    }

    Fault copy() {
        Fault f = new Fault(operation);
        f.status = status;
        f.body = body;
        f.headers.putAll(headers);
        f.dropBefore = dropBefore;
        f.dropAfter = dropAfter;
        f.delay = delay;
        f.jobStatus = jobStatus;
        f.jobErrorType = jobErrorType;
        f.jobMessage = jobMessage;
        f.times = times;
        f.probability = probability;
        f.requestId = requestId;
        return f;
    }

    @Override
    public String toString() {
        return "Fault[" + (operation == null ? "ANY" : operation)
                + (status != null ? " status=" + status : "")
                + (dropBefore ? " drop" : "") + (dropAfter ? " dropAfterHandling" : "")
                + (delay != null ? " delay=" + delay : "")
                + (jobStatus != null ? " failJob=" + jobStatus + "/" + jobErrorType : "")
                + (times < 0 ? " always" : " times=" + times)
                + (probability < 1 ? " p=" + probability : "")
                + (requestId != null ? " id=" + requestId : "") + "]";
    }
}
