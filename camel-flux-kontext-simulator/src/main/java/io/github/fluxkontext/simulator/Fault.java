package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected misbehaviour, built fluently and armed with {@code sim.faults().add(fault)}.
 *
 * <pre>{@code
 * sim.faults().add(Fault.on(FalOperation.SUBMIT).status(429).retryAfter("2").times(2));
 * sim.faults().add(Fault.on(FalOperation.STATUS).status(503).probability(0.3).always());
 * sim.faults().add(Fault.on(FalOperation.JOB).failJob(503, "runner_disconnected", "Runner disconnected"));
 * sim.faults().add(Fault.on(FalOperation.STATUS_STREAM).breakStreamAfterEvents(1));
 * sim.faults().add(Fault.on(FalOperation.WEBHOOK).failDelivery().times(2));
 * }</pre>
 *
 * An HTTP fault with nothing but matching rules answers 500. A fault is copied when added, so one
 * instance can be added several times. What it does is kept per kind ({@link HttpFault},
 * {@link JobFault}, {@link StreamFault}, {@link WebhookFault}); the matching rules (times, probability, request id) are
 * common to all.
 */
public final class Fault {

    private final FalOperation operation;
    private HttpFault http = HttpFault.NONE;
    private JobFault job;
    private StreamFault stream;
    private WebhookFault webhook;
    private Duration staleBy;
    private String userId;
    private int times = 1;
    private double probability = 1.0;
    private String requestId;

    private Fault(FalOperation operation) {
        this.operation = operation;
    }

    /**
     * A fault for one operation; null means any HTTP request (never {@link FalOperation#JOB} nor
     * {@link FalOperation#WEBHOOK}).
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
        http = http.withStatus(code);
        return this;
    }

    /** Adds a {@code Retry-After} header, verbatim (seconds or an HTTP date). */
    public Fault retryAfter(String value) {
        return header("Retry-After", value);
    }

    /** Adds a response header, e.g. {@code ("X-Fal-Request-Timeout-Type", "user")}. */
    public Fault header(String name, String value) {
        requireHttp("header");
        http = http.withHeader(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The JSON body to answer instead of the default one. */
    public Fault body(String json) {
        requireHttp("body");
        http = http.withBody(Objects.requireNonNull(json, "json"));
        return this;
    }

    /** The request is read but not handled (no job is created); the connection is closed with no answer. */
    public Fault dropConnection() {
        requireHttp("dropConnection");
        http = http.droppingBefore();
        return this;
    }

    /** The request is handled normally (a submit creates its job), then the connection is closed instead of answering. */
    public Fault dropConnectionAfterHandling() {
        requireHttp("dropConnectionAfterHandling");
        http = http.droppingAfter();
        return this;
    }

    /** Answer late: wait this long (on the scheduler, no thread is held), then go on as usual. */
    public Fault delay(Duration d) {
        requireHttp("delay");
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        http = http.withDelay(d);
        return this;
    }

    /**
     * Only with {@code on(JOB)}: the job completes with this error; its status shows {@code error}
     * and {@code error_type}, its result answers {@code httpStatus} with
     * {@code {"detail":message,"error_type":errorType}} and header {@code X-Fal-Error-Type}.
     */
    public Fault failJob(int httpStatus, String errorType, String message) {
        requireOperation(FalOperation.JOB, "failJob");
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("a failed job answers a 4xx or 5xx status, not " + httpStatus);
        }
        job = new JobFault(httpStatus, Objects.requireNonNull(errorType, "errorType"),
                Objects.requireNonNull(message, "message"));
        return this;
    }

    /**
     * Only with {@code on(STATUS_STREAM)}: answer 200 with the status as {@code application/json}
     * instead of an event stream, as a server that does not stream would.
     */
    public Fault notEventStream() {
        return stream(new StreamFault(StreamFault.Kind.NOT_EVENT_STREAM, 0), "notEventStream");
    }

    /**
     * Only with {@code on(STATUS_STREAM)}: the stream sends {@code n} events (with pings as usual), then
     * the connection is closed abruptly, in the middle of the body. It never carries COMPLETED: if the
     * job completes first, the connection breaks instead. 0 breaks it right after the headers.
     */
    public Fault breakStreamAfterEvents(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("events must be >= 0");
        }
        return stream(new StreamFault(StreamFault.Kind.BREAK, n), "breakStreamAfterEvents");
    }

    /**
     * Only with {@code on(STATUS_STREAM)}: 200 with {@code text/event-stream} headers, then nothing at
     * all (no events, no pings) until the client gives up. It holds no thread; since nothing is
     * written the simulator cannot see the client leave, so the connection stays open (and counted by
     * {@link FalSimulator#openStreams()}) until {@link FalSimulator#reset()} or close.
     */
    public Fault silentStream() {
        return stream(new StreamFault(StreamFault.Kind.SILENT, 0), "silentStream");
    }

    private Fault stream(StreamFault f, String what) {
        requireOperation(FalOperation.STATUS_STREAM, what);
        stream = f;
        return this;
    }

    /**
     * Only with {@code on(WEBHOOK)}: the delivery is signed over other bytes, so its signature does
     * not verify (headers and body are as usual).
     */
    public Fault badSignature() {
        return webhook(WebhookFault.BAD_SIGNATURE, "badSignature");
    }

    /**
     * Only with {@code on(WEBHOOK)}: the delivery's timestamp is {@code age} in the past, and the
     * signature is over that timestamp (it verifies; only its age is wrong).
     */
    public Fault staleTimestamp(Duration age) {
        webhook(WebhookFault.STALE_TIMESTAMP, "staleTimestamp");
        staleBy = Durations.requireNonNegative(age, "age");
        return this;
    }

    /** Only with {@code on(WEBHOOK)}: the same signed callback (body, timestamp, signature) is delivered twice. */
    public Fault duplicateDelivery() {
        return webhook(WebhookFault.DUPLICATE_DELIVERY, "duplicateDelivery");
    }

    /**
     * Only with {@code on(WEBHOOK)}: this attempt fails on the simulator's side: the connection is
     * closed in the middle of the request body, so the receiver gets a broken request, and the
     * delivery is retried on the schedule.
     */
    public Fault failDelivery() {
        return webhook(WebhookFault.FAIL_DELIVERY, "failDelivery");
    }

    /**
     * Only with {@code on(WEBHOOK)}: the delivery is signed correctly, with the simulator's (fal's) key, but for the
     * user id {@code otherUserId} instead of {@code webhookUserId}: what a receiver gets when someone with their own
     * fal account submits a job with its webhook URL (fal signs every account's callbacks with the same keys).
     */
    public Fault otherAccount(String otherUserId) {
        if (otherUserId == null || otherUserId.isBlank() || otherUserId.contains("\n")) {
            throw new IllegalArgumentException("otherUserId must be a non-blank single line");
        }
        webhook(WebhookFault.OTHER_ACCOUNT, "otherAccount");
        userId = otherUserId;
        return this;
    }

    private Fault webhook(WebhookFault f, String what) {
        requireOperation(FalOperation.WEBHOOK, what);
        webhook = f;
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

    private void requireOperation(FalOperation op, String what) {
        if (operation != op) {
            throw new IllegalStateException(what + " is only for Fault.on(FalOperation." + op + ")");
        }
    }

    private void requireHttp(String what) {
        if (operation != null && !operation.isRequest()) {
            throw new IllegalStateException(what + " is for HTTP faults, not for Fault.on(" + operation + ")");
        }
    }

    // --- read by the simulator -------------------------------------------------------------

    boolean matches(FalOperation op, String id) {
        if (operation == null ? !op.isRequest() : operation != op) {
            return false;
        }
        return requestId == null || requestId.equals(id);
    }

    HttpFault http() {
        return http;
    }

    JobFault job() {
        return job != null ? job : JobFault.DEFAULT;
    }

    /** The stream misbehaviour, or null. */
    StreamFault stream() {
        return stream;
    }

    /** The webhook misdelivery, or null. */
    WebhookFault webhook() {
        return webhook;
    }

    /** How far in the past a {@link WebhookFault#STALE_TIMESTAMP} puts the timestamp. */
    Duration staleBy() {
        return staleBy;
    }

    /** The user id an {@link WebhookFault#OTHER_ACCOUNT} delivery is signed for. */
    String userId() {
        return userId;
    }

    /** Whether this HTTP fault replaces the normal answer by its own status/body. */
    boolean replacesAnswer() {
        // headers alone do not make an answer; a fault with no other effect is a plain 500
        return http.status() != null || http.body() != null || (!http.hasEffect() && stream == null);
    }

    int initialTimes() {
        return times;
    }

    double probabilityValue() {
        return probability;
    }

    Fault copy() {
        Fault f = new Fault(operation);
        f.http = http;
        f.job = job;
        f.stream = stream;
        f.webhook = webhook;
        f.staleBy = staleBy;
        f.userId = userId;
        f.times = times;
        f.probability = probability;
        f.requestId = requestId;
        return f;
    }

    @Override
    public String toString() {
        return "Fault[" + (operation == null ? "ANY" : operation)
                + (http.status() != null ? " status=" + http.status() : "")
                + (http.dropBefore() ? " drop" : "") + (http.dropAfter() ? " dropAfterHandling" : "")
                + (http.delay() != null ? " delay=" + http.delay() : "")
                + (job != null ? " failJob=" + job.httpStatus() + "/" + job.errorType() : "")
                + (stream != null ? " stream=" + stream.kind() + (stream.kind() == StreamFault.Kind.BREAK
                        ? "@" + stream.events() : "") : "")
                + (webhook != null ? " webhook=" + webhook + (staleBy != null ? "@" + staleBy : "") + (userId != null ? "@" + userId : "") : "")
                + (times < 0 ? " always" : " times=" + times)
                + (probability < 1 ? " p=" + probability : "")
                + (requestId != null ? " id=" + requestId : "") + "]";
    }
}
