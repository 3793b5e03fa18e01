package io.github.fluxkontext.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers fal's completion webhooks (fal-protocol §10): a POST of the OK/ERROR payload, signed with
 * the simulator's Ed25519 key as fal signs, retried on the configured schedule while the receiver
 * fails (non-2xx, connection error, timeout). No thread waits: requests are asynchronous and retries
 * are timers. At most {@value #MAX_IN_FLIGHT} deliveries are under way at once, the others wait for a
 * turn (thousands of jobs completing together would otherwise open thousands of connections).
 */
final class WebhookSender {

    static final String REQUEST_ID_HEADER = "X-Fal-Webhook-Request-Id";
    static final String USER_ID_HEADER = "X-Fal-Webhook-User-Id";
    static final String TIMESTAMP_HEADER = "X-Fal-Webhook-Timestamp";
    static final String SIGNATURE_HEADER = "X-Fal-Webhook-Signature";
    private static final System.Logger LOG = System.getLogger(WebhookSender.class.getName());
    private static final int MAX_IN_FLIGHT = 64;

    /** One job's callback: the same body for every attempt; {@code generation} ties it to a reset() era. */
    private record Delivery(String requestId, String url, byte[] body, int generation) {
    }

    private final String userId;
    private final List<Duration> retryDelays;
    private final Duration timeout;
    private final WebhookKeys keys;
    private final FaultPlan faults;
    private final SimulatorJournal journal;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Clock clock;
    private final AtomicInteger generation = new AtomicInteger();
    private final Deque<Runnable> waitingForTurn = new ArrayDeque<>(); // guarded by itself
    private int inFlight; // guarded by waitingForTurn
    private volatile HttpClient client;

    WebhookSender(SimulatorConfig config, WebhookKeys keys, FaultPlan faults, SimulatorJournal journal,
                  ScheduledExecutorService scheduler, Executor executor, Clock clock) {
        this.userId = config.webhookUserId();
        this.retryDelays = config.webhookRetryDelays();
        this.timeout = config.webhookTimeout();
        this.keys = keys;
        this.faults = faults;
        this.journal = journal;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
    }

    /** Called when a job completes; does nothing for a job submitted without {@code fal_webhook}. */
    void deliver(Job job) {
        if (job.webhookUrl == null) {
            return;
        }
        Outcome o = job.view().outcome();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("request_id", job.requestId);
        payload.put("gateway_request_id", job.requestId); // no server-side retry happened
        if (o.failed()) {
            payload.put("status", "ERROR");
            payload.put("error", "Invalid status code: " + o.httpStatus());
        } else {
            payload.put("status", "OK");
        }
        payload.put("payload", o.body());
        Delivery d = new Delivery(job.requestId, job.webhookUrl, Json.write(payload), generation.get());
        run(() -> attempt(d, 1));
    }

    /** reset(): deliveries not made yet (waiting for a turn or for a retry) are dropped. */
    void forgetPending() {
        generation.incrementAndGet();
    }

    private void attempt(Delivery d, int attempt) {
        if (d.generation() != generation.get()) {
            return;
        }
        Fault fault = faults.next(FalOperation.WEBHOOK, d.requestId());
        WebhookFault kind = fault == null ? null : fault.webhook();
        HttpRequest.Builder signed;
        try {
            signed = signedRequest(d, kind, fault);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "Webhook URL of " + d.requestId() + " is not usable: " + d.url(), e);
            return;
        }
        Instant at = clock.instant();
        send(signed, kind == WebhookFault.FAIL_DELIVERY ? cutOff(d.body()) : HttpRequest.BodyPublishers.ofByteArray(d.body()))
                .thenCompose(status -> {
                    journal.record(new WebhookDelivery(d.requestId(), d.url(), attempt, status, kind, at));
                    if (kind != WebhookFault.DUPLICATE_DELIVERY) {
                        return CompletableFuture.completedFuture(status);
                    }
                    Instant again = clock.instant();
                    return send(signed, HttpRequest.BodyPublishers.ofByteArray(d.body())).thenApply(second -> {
                        journal.record(new WebhookDelivery(d.requestId(), d.url(), attempt, second, kind, again));
                        return status; // the first delivery's answer decides on a retry
                    });
                })
                .thenAccept(status -> afterAttempt(d, attempt, status));
    }

    private void afterAttempt(Delivery d, int attempt, int status) {
        if (status >= 200 && status < 300) {
            LOG.log(System.Logger.Level.DEBUG, "Webhook for {0} delivered to {1} (attempt {2})", d.requestId(), d.url(),
                    attempt);
            return;
        }
        if (attempt > retryDelays.size()) {
            LOG.log(System.Logger.Level.WARNING, "Webhook for {0} to {1} failed {2} times; giving up", d.requestId(),
                    d.url(), attempt);
            return;
        }
        Duration delay = retryDelays.get(attempt - 1);
        LOG.log(System.Logger.Level.INFO, "Webhook for {0} to {1} failed ({2}); attempt {3} in {4}", d.requestId(),
                d.url(), status, attempt + 1, delay);
        try {
            scheduler.schedule(() -> run(() -> attempt(d, attempt + 1)), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; webhook retry for " + d.requestId() + " dropped", e);
        }
    }

    /**
     * Headers per fal: request id, user id, unix-seconds timestamp, and the hex Ed25519 signature of
     * {@code request_id \n user_id \n timestamp \n hex(sha256(body))}.
     */
    private HttpRequest.Builder signedRequest(Delivery d, WebhookFault kind, Fault fault) {
        Instant now = clock.instant();
        long timestamp = (kind == WebhookFault.STALE_TIMESTAMP ? now.minus(fault.staleBy()) : now).getEpochSecond();
        byte[] signedBody = d.body();
        if (kind == WebhookFault.BAD_SIGNATURE) {
            signedBody = Arrays.copyOf(d.body(), d.body().length + 1); // other bytes than the ones sent
        }
        String signedUserId = kind == WebhookFault.OTHER_ACCOUNT ? fault.userId() : userId;
        String message = d.requestId() + "\n" + signedUserId + "\n" + timestamp + "\n"
                + HexFormat.of().formatHex(WebhookKeys.sha256(signedBody));
        String signature = HexFormat.of().formatHex(keys.sign(message.getBytes(StandardCharsets.UTF_8)));
        return HttpRequest.newBuilder(URI.create(d.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "fal-simulator")
                .header(REQUEST_ID_HEADER, d.requestId())
                .header(USER_ID_HEADER, signedUserId)
                .header(TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(SIGNATURE_HEADER, signature);
    }

    /** The receiver's status, or -1 if there was none (connection error, timeout, cut off). Never fails. */
    private CompletableFuture<Integer> send(HttpRequest.Builder request, HttpRequest.BodyPublisher body) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        inTurn(() -> {
            try {
                client().sendAsync(request.copy().POST(body).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                LOG.log(System.Logger.Level.DEBUG, "Webhook delivery failed", e);
                            }
                            status.complete(e == null ? r.statusCode() : -1);
                        });
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Webhook delivery could not be sent", e);
                status.complete(-1);
            }
        }, status);
        return status;
    }

    /** Starts {@code start} when fewer than MAX_IN_FLIGHT deliveries are under way; the next goes when {@code done} completes. */
    private void inTurn(Runnable start, CompletableFuture<?> done) {
        done.whenComplete((r, e) -> {
            Runnable next;
            synchronized (waitingForTurn) {
                next = waitingForTurn.poll();
                if (next == null) {
                    inFlight--;
                }
            }
            if (next != null) {
                run(next);
            }
        });
        synchronized (waitingForTurn) {
            if (inFlight == MAX_IN_FLIGHT) {
                waitingForTurn.add(start);
                return;
            }
            inFlight++;
        }
        run(start);
    }

    /**
     * A body that announces its full length, sends the first half, then fails: the client closes the
     * connection in the middle of the request, and the receiver sees a truncated body.
     */
    private static HttpRequest.BodyPublisher cutOff(byte[] body) {
        byte[] half = Arrays.copyOf(body, body.length / 2);
        Flow.Publisher<ByteBuffer> publisher = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
            private final AtomicBoolean sent = new AtomicBoolean();

            @Override
            public void request(long n) {
                if (sent.compareAndSet(false, true)) {
                    subscriber.onNext(ByteBuffer.wrap(half));
                    subscriber.onError(new IOException("Delivery cut off on purpose (Fault.failDelivery)"));
                }
            }

            @Override
            public void cancel() {
                sent.set(true);
            }
        });
        return HttpRequest.BodyPublishers.fromPublisher(publisher, body.length);
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    // made on first use: a simulator without webhooks starts no client threads
                    c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                            .executor(executor).build();
                    client = c;
                }
            }
        }
        return c;
    }

    private void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; webhook work dropped", e);
        }
    }
}
