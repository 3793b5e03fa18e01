package io.github.fluxkontext.camel;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.fluxkontext.camel.ledger.LedgerEntry;
import io.github.fluxkontext.camel.ledger.LedgerState;
import io.github.fluxkontext.camel.ledger.LedgerStoreException;
import io.github.fluxkontext.camel.ledger.MemorySubmissionLedger;
import io.github.fluxkontext.camel.ledger.SubmissionLedger;
import io.github.fluxkontext.camel.model.FluxKontextException;
import io.github.fluxkontext.camel.model.FluxKontextTransportException;
import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.simulator.FalOperation;
import io.github.fluxkontext.simulator.Fault;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static io.github.fluxkontext.camel.FluxKontextConstants.IDEMPOTENCY_KEY;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotency key with a {@link MemorySubmissionLedger}; and what does not depend on the ledger: the key's
 * checks, the default ledger, a ledger that fails.
 */
class ExactlyOnceMemoryLedgerTest extends ExactlyOnceContract {

    @Override
    protected SubmissionLedger newLedger() {
        return new MemorySubmissionLedger();
    }

    @Test
    void aKeyOver512CharactersIsRefusedNamingTheHeader() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, T2I, "a fox", key("k".repeat(513)));

        assertEquals("header " + IDEMPOTENCY_KEY, e.getField());
        assertTrue(e.getMessage().contains("1 to 512 characters") && e.getMessage().contains("is 513 long"), e.getMessage());
        assertEquals(0, submits());
    }

    @Test
    void aKeyMustBeATextAnIntegerOrAUuid() {
        FluxKontextValidationException e = failure(FluxKontextValidationException.class, T2I, "a fox",
                Map.of(IDEMPOTENCY_KEY, Map.of("order", 1)));
        assertTrue(e.getMessage().contains("allowed: a text, an integer or a UUID"), e.getMessage());
        assertTrue(failure(FluxKontextValidationException.class, T2I, "a fox", key("")).getMessage().contains("must not be empty"));

        template.requestBodyAndHeaders(T2I, "a fox", Map.of(IDEMPOTENCY_KEY, 4711L));
        assertEquals(LedgerState.SUBMITTED, ledger.get("4711").orElseThrow().state());
        assertEquals(1, submits());
    }

    @Test
    void aLedgerThatFailsBeforeTheSubmitFailsTheExchangeAndNothingIsSent() {
        observed.failStores();

        FluxKontextException e = failure(FluxKontextException.class, T2I, "a fox", key("order-1"));

        assertInstanceOf(LedgerStoreException.class, e.getCause());
        assertTrue(e.getMessage().contains("'order-1'") && e.getMessage().contains("nothing was submitted"), e.getMessage());
        assertEquals(0, submits());
    }

    @Test
    void aLedgerThatFailsToRecordTheRequestIdLeavesTheJobToItsExchangeAndTheKeyMarked() {
        observed.failReplaces();

        KontextResult result = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);
        assertEquals(1, result.images().size(), "the exchange still waits for its job");
        assertEquals(LedgerState.SUBMITTING, ledger.get("order-1").orElseThrow().state());

        // a redelivery cannot know the job: it fails rather than submitting again
        assertTrue(failure(FluxKontextTransportException.class, T2I, "a fox", key("order-1")).isOutcomeUnknown());
        assertEquals(1, submits());
    }

    @Test
    void withoutTheLedgerOptionEachComponentHasOneInMemorySharedByItsEndpoints() throws Exception {
        context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration().setLedger(null);
        FluxKontextComponent other = new FluxKontextComponent();
        super.configure(other.getConfiguration());
        context.addComponent("flux-kontext-other", other);

        KontextResult first = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);
        KontextResult sameComponent = template.requestBodyAndHeaders(T2I + "?outputType=result&numImages=1", "a fox", key("order-1"),
                KontextResult.class);
        assertEquals(first.requestId(), sameComponent.requestId());
        assertEquals(1, submits());

        KontextResult otherComponent = template.requestBodyAndHeaders("flux-kontext-other:text-to-image", "a fox", key("order-1"),
                KontextResult.class);
        assertNotEquals(first.requestId(), otherComponent.requestId(), "another component keeps a ledger of its own");
        assertEquals(2, submits());
    }

    /**
     * The submit waits for the one pooled connection (held by a slow status call) and then for a slow answer: 3 s
     * from its claim, each wait within requestTimeout, past what a submit was once assumed to take at most
     * (connectTimeout plus requestTimeout: 2.1 s). A redelivery in between finds the claim renewed: one job.
     */
    @Test
    void aSubmitWaitingForAPooledConnectionKeepsItsClaim() throws Exception {
        FluxKontextComponent pooled = new FluxKontextComponent();
        // the test's defaults and ledger
        pooled.setConfiguration(context.getComponent("flux-kontext", FluxKontextComponent.class).getConfiguration().copy());
        pooled.setMaxOpenStreams(0); // no room for status streams: the pool is the one connection
        context.addComponent("flux-kontext-pooled", pooled);
        String connections = "?maxTotalConnections=1&connectionsPerRoute=1&connectTimeout=100&requestTimeout=2000&maxRetries=0";
        String submit = "flux-kontext-pooled:text-to-image" + connections + "&resubmitUnanswered=true&ledgerLease=300";
        long assumedLongestSubmit = 100 + 2000;
        KontextJob job = template.requestBody(T2I + "?waitForResult=false", "another job", KontextJob.class);

        sim().faults().add(Fault.on(FalOperation.STATUS).delay(Duration.ofMillis(1500)));
        CompletableFuture<Object> holder = template.asyncRequestBodyAndHeader("flux-kontext-pooled:status" + connections, null,
                FluxKontextConstants.REQUEST_ID, job.requestId());
        await().atMost(Duration.ofSeconds(10)).until(() -> sim().faults().injected() == 1); // it holds the connection
        sim().faults().add(Fault.on(FalOperation.SUBMIT).delay(Duration.ofMillis(1500)));
        long claimed = System.nanoTime();
        CompletableFuture<KontextResult> first = template.asyncRequestBodyAndHeaders(submit, "a fox", key("order-1"), KontextResult.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> (System.nanoTime() - claimed) / 1_000_000 > assumedLongestSubmit + 100);
        assertEquals(LedgerState.SUBMITTING, ledger.get("order-1").orElseThrow().state(), "the submit is still under way");
        Exchange late = deliver(submit, "a fox", "order-1");

        FluxKontextTransportException e = assertInstanceOf(FluxKontextTransportException.class, late.getException());
        assertTrue(e.isOutcomeUnknown() && e.getMessage().contains("still holds its claim"), e.getMessage());
        KontextResult result = first.get(20, TimeUnit.SECONDS);
        holder.get(20, TimeUnit.SECONDS);
        assertEquals(2, jobsCreated(), "the other job and this key's: one bill for the key");
        assertEquals(result.requestId(), ledger.get("order-1").orElseThrow().requestId());
        assertTrue(observed.renewals() > 0);
    }

    @Test
    void aFailingPurgeRunsOffTheCallersThreadAndFailsNoSubmit() {
        AtomicReference<String> purgedOn = new AtomicReference<>();
        observed.failPurges().onPurge(() -> purgedOn.set(Thread.currentThread().getName()));
        // the earlier stores of this ledger: the claim below is the one that makes a purge due
        for (int i = 1; i < 1024; i++) {
            ledger.putIfAbsent(LedgerEntry.submitting("earlier-" + i, T2I_ID, Duration.ofHours(1), Clock.systemUTC()));
        }
        assertFalse(ledger.purgeDue());

        KontextResult result = template.requestBodyAndHeaders(T2I, "a fox", key("order-1"), KontextResult.class);

        assertEquals(result.requestId(), ledger.get("order-1").orElseThrow().requestId());
        assertEquals(1, submits());
        FluxKontextEndpoint endpoint = context.getEndpoint(T2I, FluxKontextEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.getLedgerPurgeFailures() == 1);
        assertEquals(1, observed.purges());
        assertTrue(purgedOn.get().endsWith("FluxKontextLedger"), "purged on " + purgedOn.get());
    }

    @Test
    void ledgerTtlShorterThanASubmitAndItsWaitIsRefusedWhenTheEndpointStarts() {
        Exception e = assertThrows(Exception.class, () -> context.getEndpoint(T2I + "?ledgerTtl=5m&timeout=10m"));

        String message = rootMessage(e);
        assertTrue(message.startsWith("Option ledgerTtl (300000 ms) must be longer than a submit and its wait can take here"), message);
        for (String option : List.of("timeout (600000 ms)", "maxRetries", "requestTimeout", "connectTimeout", "retryDelay", "maxRetryDelay")) {
            assertTrue(message.contains(option), option + " in: " + message);
        }
        // what the floor is made of: each option moves it
        assertThrows(Exception.class, () -> context.getEndpoint(T2I + "?ledgerTtl=12m&timeout=10m&requestTimeout=1m"));
        context.getEndpoint(T2I + "?ledgerTtl=12m&timeout=10m&requestTimeout=10s&maxRetries=1");
        assertThrows(Exception.class, () -> context.getEndpoint(T2I + "?ledgerTtl=12m&timeout=10m&requestTimeout=10s&maxRetries=1"
                                                                  + "&imageUpload=fal-storage"));
        // a call that submits nothing keeps no entry
        context.getEndpoint("flux-kontext:result?ledgerTtl=5m&timeout=10m");
    }

    @Test
    void ledgerLeaseMustBeAtLeast100Ms() {
        FluxKontextConfiguration configuration = new FluxKontextConfiguration();
        configuration.setLedgerLease(99);
        assertEquals("Option ledgerLease must be 100 ms to 3650 days (renewed every third of it), was 99 ms",
                assertThrows(IllegalArgumentException.class, configuration::validate).getMessage());
    }

    @Test
    void ledgerTtlMustBePositiveAndAtMostTenYears() {
        FluxKontextConfiguration configuration = new FluxKontextConfiguration();
        configuration.setLedgerTtl(0);
        assertTrue(assertThrows(IllegalArgumentException.class, configuration::validate).getMessage()
                .contains("Option ledgerTtl must be positive"));
        configuration.setLedgerTtl(FluxKontextConfiguration.MAX_LEDGER_TTL.toMillis() + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, configuration::validate).getMessage()
                .contains("Option ledgerTtl must be at most 3650 days"));
    }
}
