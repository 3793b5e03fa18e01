package io.github.fluxkontext.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.LedgerState;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.model.FluxKontextApiException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.model.KontextStatus;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.fluxkontext.camel.FluxKontextConstants.IDEMPOTENCY_KEY;
import static io.github.fluxkontext.camel.FluxKontextConstants.REQUEST_ID;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotency key against the simulator, per state of the key's ledger entry (absent, answered, sent but
 * never answered, expired), run on each ledger implementation by a subclass. Submits are counted in the
 * simulator's journal.
 */
abstract class ExactlyOnceContract extends FluxKontextTestSupport {

    static final String T2I = "flux-kontext:text-to-image";
    static final String T2I_ID = "fal-ai/flux-pro/kontext/text-to-image";

    /** The ledger under test, as the component's ledger option holds it (observed). */
    protected SubmissionLedger ledger;
    protected ObservedLedger observed;

    /** A new, empty ledger of the implementation under test. */
    protected abstract SubmissionLedger newLedger() throws Exception;

    @Override
    protected void configure(FluxKontextConfiguration configuration) {
        super.configure(configuration);
        try {
            ledger = newLedger();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        observed = new ObservedLedger(ledger);
        configuration.setLedger(observed);
    }

    static Map<String, Object> key(String key) {
        return Map.of(IDEMPOTENCY_KEY, key);
    }

    static int submits() {
        return sim().journal().count(FalOperation.SUBMIT);
    }

    /** Sends a prompt with a key; the exchange as it came back (failed or not). */
    Exchange deliver(String uri, String prompt, String key) {
        return template.request(uri, e -> {
            e.getMessage().setBody(prompt);
            e.getMessage().setHeader(IDEMPOTENCY_KEY, key);
        });
    }

    /** An entry as an earlier instance (or an earlier life of this one) left it. */
    LedgerEntry leftBefore(String key, LedgerState state, String requestId, Instant createdAt, Instant expiresAt) {
        return leftBefore(new LedgerEntry(key, "earlier-instance", state, requestId, T2I_ID, createdAt, expiresAt));
    }

    LedgerEntry leftBefore(LedgerEntry entry) {
        assertEquals(Optional.empty(), ledger.putIfAbsent(entry));
        return entry;
    }

    /** A claim whose sender stopped (crashed) an hour ago: its lease, stored now, lapses a millisecond later. */
    LedgerEntry sentAnHourAgo(String key) {
        return claimedBefore(key, Duration.ofHours(1), Duration.ofMillis(1));
    }

    /** A claim sent {@code ago}, whose lease starts now (the store's clock sets it). */
    LedgerEntry claimedBefore(String key, Duration ago, Duration lease) {
        Instant now = Instant.now();
        return leftBefore(new LedgerEntry(key, "earlier-instance", LedgerState.SUBMITTING, null, T2I_ID, now.minus(ago),
                now.plus(Duration.ofHours(23)), lease));
    }

    /** Submits that created a job (a submit turned away with 429 created none). */
    static int jobsCreated() {
        return sim().jobs().size();
    }

    // ---- absent

    @Test
    void anAbsentKeySubmitsAndItsRequestIdIsRecordedBeforeTheWaitStarts() {
        AtomicInteger statusPollsWhenRecorded = new AtomicInteger(-1);
        observed.onReplace(replacement -> statusPollsWhenRecorded.set(sim().journal().count(FalOperation.STATUS)));

        KontextResult result = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);

        assertEquals(1, submits());
        LedgerEntry entry = ledger.get("order-1").orElseThrow();
        assertEquals(LedgerState.SUBMITTED, entry.state());
        assertEquals(result.requestId(), entry.requestId());
        assertEquals(T2I_ID, entry.endpointId());
        assertEquals(Duration.ofHours(24), Duration.between(entry.createdAt(), entry.expiresAt()), "ledgerTtl's default");
        assertEquals(0, statusPollsWhenRecorded.get(), "recorded before the first status poll");
    }

    @Test
    void anEntryLivesForLedgerTtl() {
        template.requestBodyAndHeaders(T2I + "?ledgerTtl=2h", "a fox", key("order-1"));

        LedgerEntry entry = ledger.get("order-1").orElseThrow();
        assertEquals(Duration.ofHours(2), Duration.between(entry.createdAt(), entry.expiresAt()));
    }

    @Test
    void badInputClaimsNothing() {
        failure(FluxKontextValidationException.class, T2I, " ", key("order-1"));

        assertEquals(Optional.empty(), ledger.get("order-1"));
        assertEquals(0, submits());
    }

    // ---- answered

    @Test
    void anAnsweredKeyDoesNotSubmitAgainAndGetsItsJobsResult() {
        KontextResult first = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);

        Exchange again = deliver(T2I, "a fox", "order-1");

        assertEquals(1, submits());
        KontextResult second = again.getMessage().getBody(KontextResult.class);
        assertEquals(first.requestId(), second.requestId());
        assertEquals(first.imageUrls(), second.imageUrls());
        assertEquals(first.requestId(), again.getMessage().getHeader(REQUEST_ID));
        assertEquals("COMPLETED", again.getMessage().getHeader(FluxKontextConstants.STATUS));
    }

    @Test
    void aKeySeenAgainWhileItsJobRunsWaitsForThatJob() throws Exception {
        sim().setTimings(QUEUE_TIME, Duration.ofMillis(800));
        CompletableFuture<KontextResult> first = template.asyncRequestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.get("order-1").map(LedgerEntry::state).orElse(null) == LedgerState.SUBMITTED);
        String requestId = ledger.get("order-1").orElseThrow().requestId();
        assertNotEquals("COMPLETED", sim().job(requestId).orElseThrow().status(), "the job still runs");

        KontextResult second = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);

        assertEquals(requestId, second.requestId());
        assertEquals(requestId, first.get(10, TimeUnit.SECONDS).requestId());
        assertEquals(1, submits());
        assertEquals(1, second.images().size());
    }

    @Test
    void withWaitForResultFalseAnAnsweredKeyContinuesWithItsJobsHandle() {
        String uri = T2I + "?waitForResult=false";
        KontextJob first = template.requestBodyAndHeaders(uri, "a fox", key("order-1"), KontextJob.class);

        Exchange again = deliver(uri, "a fox", "order-1");

        assertEquals(1, submits());
        KontextJob handle = again.getMessage().getBody(KontextJob.class);
        assertEquals(first.requestId(), handle.requestId());
        assertEquals(T2I_ID, handle.endpointId());
        assertEquals(first.requestId(), again.getMessage().getHeader(REQUEST_ID));
        // the handle works like one from a submit: its result can be fetched
        KontextResult result = template.requestBody("flux-kontext:result", handle, KontextResult.class);
        assertEquals(first.requestId(), result.requestId());
    }

    @Test
    void sameKeyAtOnceSubmitsOnce() throws Exception {
        sim().setTimings(QUEUE_TIME, Duration.ofMillis(300));
        List<CompletableFuture<KontextResult>> deliveries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            deliveries.add(template.asyncRequestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class));
        }
        Set<String> requestIds = new HashSet<>();
        int underWay = 0;
        for (CompletableFuture<KontextResult> delivery : deliveries) {
            try {
                requestIds.add(delivery.get(20, TimeUnit.SECONDS).requestId());
            } catch (ExecutionException e) {
                FluxKontextTransportException unanswered = assertInstanceOf(FluxKontextTransportException.class, e.getCause().getCause());
                assertTrue(unanswered.isOutcomeUnknown());
                assertTrue(unanswered.getMessage().contains("may still be under way"), unanswered.getMessage());
                underWay++;
            }
        }
        // the source delivers the failed ones again: they wait for the job the first one submitted
        for (int i = 0; i < underWay; i++) {
            requestIds.add(template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class).requestId());
        }

        assertEquals(1, submits());
        assertEquals(Set.of(ledger.get("order-1").orElseThrow().requestId()), requestIds);
    }

    @Test
    void aKeyUsedForAnotherEndpointIsRefused() {
        template.requestBodyAndHeaders(T2I, "a fox", key("order-1"));

        Map<String, Object> headers = new HashMap<>(key("order-1"));
        headers.put(FluxKontextConstants.IMAGE_URL, "https://example.com/fox.png");
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, "flux-kontext:edit", "paint it blue", headers);

        assertEquals("header " + IDEMPOTENCY_KEY, e.getField());
        assertTrue(e.getMessage().contains(T2I_ID) && e.getMessage().contains("submits to fal-ai/flux-pro/kontext:"), e.getMessage());
        assertEquals(1, submits());
    }

    // ---- sent but never answered

    @Test
    void aKeySentButNeverAnsweredFailsAsOutcomeUnknown() {
        LedgerEntry unanswered = sentAnHourAgo("order-1");

        FluxKontextTransportException e = failure(FluxKontextTransportException.class, T2I, "a fox", key("order-1"));

        assertTrue(e.isOutcomeUnknown());
        assertTrue(e.getMessage().contains("'order-1'") && e.getMessage().contains("resubmitUnanswered=true")
                   && e.getMessage().contains("its answer was lost"), e.getMessage());
        assertEquals(0, submits());
        assertEquals(Optional.of(unanswered), ledger.get("order-1"), "left as it was");
    }

    @Test
    void withResubmitUnansweredAKeySentButNeverAnsweredIsSubmittedOnceMore() throws Exception {
        LedgerEntry unanswered = sentAnHourAgo("order-1");
        String uri = T2I + "?resubmitUnanswered=true";
        List<CompletableFuture<KontextResult>> redeliveries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            redeliveries.add(template.asyncRequestBodyAndHeaders(uri, "a fox", key("order-1"), KontextResult.class));
        }
        Set<String> requestIds = new HashSet<>();
        for (CompletableFuture<KontextResult> redelivery : redeliveries) {
            try {
                requestIds.add(redelivery.get(20, TimeUnit.SECONDS).requestId());
            } catch (ExecutionException e) {
                // a redelivery that came while the one that took the key over was still submitting
                assertTrue(assertInstanceOf(FluxKontextTransportException.class, e.getCause().getCause()).isOutcomeUnknown());
            }
        }

        assertEquals(1, submits(), "of several redeliveries one submits");
        LedgerEntry entry = ledger.get("order-1").orElseThrow();
        assertEquals(LedgerState.SUBMITTED, entry.state());
        assertNotEquals(unanswered.token(), entry.token(), "taken over");
        assertEquals(Set.of(entry.requestId()), requestIds, "the one that took the key over got its job");
    }

    @Test
    void aClaimItsSenderStillHoldsIsNotSentAgainEvenWithResubmitUnansweredAndIsOnceItLapsed() {
        // its sender (another instance) renews it while its submit is under way; then it stops, say it crashed
        LedgerEntry held = claimedBefore("order-1", Duration.ofMinutes(30), Duration.ofMillis(1500));
        String uri = T2I + "?resubmitUnanswered=true";

        FluxKontextTransportException e = failure(FluxKontextTransportException.class, uri, "a fox", key("order-1"));

        assertTrue(e.isOutcomeUnknown());
        assertTrue(e.getMessage().contains("may still be under way") && e.getMessage().contains("still holds its claim"), e.getMessage());
        assertEquals(0, submits());
        assertEquals(Optional.of(held), ledger.get("order-1"));

        // once the lease lapsed by the ledger's clock, a delivery takes the key over and submits, once
        await().atMost(Duration.ofSeconds(20)).until(() -> !deliver(uri, "a fox", "order-1").isFailed());
        assertEquals(1, submits());
        assertEquals(LedgerState.SUBMITTED, ledger.get("order-1").orElseThrow().state());
    }

    /**
     * The submit is held past what a submit was once assumed to take at most (its attempts' connect and request
     * timeouts and maxRetryDelay: 1.3 s here), by a retry delay of 3 to 4 s (retryDelay above maxRetryDelay), while
     * its 300 ms lease is renewed; a redelivery then must not take the key over, and fal bills one job.
     */
    @Test
    void aSubmitHeldLongerThanItsLeaseKeepsItsClaimAndALateRedeliveryDoesNotSubmitAgain() throws Exception {
        long assumedLongestSubmit = 2 * (100 + 500) + 100;
        String uri = T2I + "?resubmitUnanswered=true&ledgerLease=300&maxRetries=1&retryDelay=4000&maxRetryDelay=100"
                     + "&connectTimeout=100&requestTimeout=500";
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(429)); // turned away: sent again after the retry delay
        CompletableFuture<KontextResult> first = template.asyncRequestBodyAndHeaders(uri, "a fox", key("order-1"), KontextResult.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> submits() == 1);
        long claimed = System.nanoTime();

        await().atMost(Duration.ofSeconds(10)).until(() -> (System.nanoTime() - claimed) / 1_000_000 > assumedLongestSubmit + 100);
        assertEquals(LedgerState.SUBMITTING, ledger.get("order-1").orElseThrow().state(), "the submit is still held");
        assertTrue(observed.renewals() > 0, "its claim was renewed");
        Exchange late = deliver(uri, "a fox", "order-1");

        FluxKontextTransportException e = assertInstanceOf(FluxKontextTransportException.class, late.getException());
        assertTrue(e.isOutcomeUnknown() && e.getMessage().contains("still holds its claim"), e.getMessage());
        KontextResult result = first.get(20, TimeUnit.SECONDS);
        assertEquals(1, jobsCreated(), "one job, one bill");
        assertEquals(result.requestId(), ledger.get("order-1").orElseThrow().requestId());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = { 422, 429 })
    void aSubmitThatCertainlyCreatedNoJobFreesTheKey(int status) {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).status(status));

        FluxKontextApiException e = failure(FluxKontextApiException.class, T2I + "?maxRetries=0", "a fox", key("order-1"));
        assertEquals(status, e.getStatusCode());
        assertEquals(Optional.empty(), ledger.get("order-1"), "no job: a later delivery may submit");

        KontextResult result = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);
        assertEquals(result.requestId(), ledger.get("order-1").orElseThrow().requestId());
        assertEquals(2, submits());
        assertEquals(1, sim().jobs().size());
    }

    @Test
    void aSubmitWhoseOutcomeIsUnknownKeepsTheKey() {
        sim().faults().add(Fault.on(FalOperation.SUBMIT).dropConnectionAfterHandling());

        assertTrue(failure(FluxKontextTransportException.class, T2I, "a fox", key("order-1")).isOutcomeUnknown());
        assertEquals(LedgerState.SUBMITTING, ledger.get("order-1").orElseThrow().state());

        FluxKontextTransportException again = failure(FluxKontextTransportException.class, T2I, "a fox", key("order-1"));
        assertTrue(again.isOutcomeUnknown());
        assertEquals(1, submits(), "the job the lost answer announced is not submitted twice");
        assertEquals(1, sim().jobs().size());
    }

    // ---- expired

    @Test
    void anExpiredEntryCountsAsAbsent() {
        Instant now = Instant.now();
        leftBefore("order-1", LedgerState.SUBMITTED, "req-of-yesterday", now.minus(Duration.ofHours(25)), now.minus(Duration.ofHours(1)));

        KontextResult result = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);

        assertEquals(1, submits());
        assertNotEquals("req-of-yesterday", result.requestId());
        assertEquals(result.requestId(), ledger.get("order-1").orElseThrow().requestId());
    }

    @Test
    void anExpiredUnansweredEntryCountsAsAbsentToo() {
        Instant now = Instant.now();
        leftBefore("order-1", LedgerState.SUBMITTING, null, now.minus(Duration.ofHours(25)), now.minus(Duration.ofHours(1)));

        KontextResult result = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);

        assertEquals(1, submits());
        assertEquals(KontextStatus.COMPLETED.name(), sim().job(result.requestId()).orElseThrow().status());
    }
}
