package io.github.fluxkontext.camel.wait;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextEndpoint;
import io.github.fluxkontext.camel.FluxKontextTestSupport;
import io.github.fluxkontext.camel.mapping.ResultMapping;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.submit.JobPlaces;
import io.github.fluxkontext.camel.support.ComponentThreads;
import io.github.fluxkontext.camel.support.ExchangeCompletion;
import io.github.fluxkontext.camel.support.JobStatistics;
import io.github.fluxkontext.simulator.FalOperation;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Races a wait settles once: a completed job beats a late timeout. */
class JobWaitTest extends FluxKontextTestSupport {

    @Test
    void aTimeoutUnderWayWhenTheJobCompletedDoesNothing() throws Exception {
        KontextJob done = template.requestBody("flux-kontext:text-to-image?waitForResult=false", "a fox", KontextJob.class);
        await().until(() -> "COMPLETED".equals(sim().job(done.requestId()).orElseThrow().status()));
        FluxKontextEndpoint endpoint = context.getEndpoint("flux-kontext:result", FluxKontextEndpoint.class);
        Exchange exchange = new DefaultExchange(context);
        CountDownLatch ended = new CountDownLatch(1);
        WaitStrategy silent = new WaitStrategy() {
            @Override
            void watch(Listener listener) {
            }

            @Override
            void letGo() {
            }
        };
        FluxKontextConfiguration config = endpoint.getConfiguration();
        ComponentThreads threads = new ComponentThreads(context, this, 2, 2);
        try {
            JobWait.Collaborators collaborators = new JobWait.Collaborators(endpoint.getClient().queue(),
                    new ResultMapping(endpoint.getClient().storage(), config.getOutputType(), new JobStatistics()), config, threads,
                    new JobStatistics(), finished -> { });
            JobWait wait = new JobWait(collaborators, new ExchangeCompletion(threads, exchange, doneSync -> ended.countDown()), done,
                    JobPlaces.Place.NONE, silent);
            wait.start();

            wait.completed(sim().jobs().isEmpty() ? done : done.withStatusOf(statusOf(done))); // the strategy saw COMPLETED...
            wait.onTimeout(); // ...while the timeout task was already running

            assertTrue(ended.await(10, TimeUnit.SECONDS));
            assertNull(exchange.getException(), () -> "failed with " + exchange.getException());
            assertInstanceOf(KontextResult.class, exchange.getMessage().getBody());
            assertEquals(0, sim().journal().count(FalOperation.CANCEL), "no useless cancel");
        } finally {
            threads.shutdown();
        }
    }

    private KontextJob statusOf(KontextJob job) {
        return template.requestBody("flux-kontext:status", job, KontextJob.class);
    }
}
