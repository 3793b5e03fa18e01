package io.github.fluxkontext.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.fluxkontext.camel.model.FluxKontextTimeoutException;
import io.github.fluxkontext.camel.model.KontextJob;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rest of a route runs on threads of its own: steps that block after the call (a database, a
 * file, a synchronous call back into this component) neither delay other jobs' answers and timeouts
 * nor deadlock them.
 */
class RouteContinuationTest extends FluxKontextTestSupport {

    private static final int BLOCKERS = 12;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger blocked = new AtomicInteger();

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:blocking")
                        .to("flux-kontext:text-to-image")
                        .process(exchange -> {
                            blocked.incrementAndGet();
                            release.await(); // a step that blocks: JDBC, a slow disk, a remote call
                        });
                from("direct:nested")
                        .to("flux-kontext:text-to-image?waitForResult=false")
                        .process(exchange -> {
                            // a synchronous call back into the component, from the continuing route
                            KontextJob status = exchange.getContext().createProducerTemplate()
                                    .requestBody("flux-kontext:status", exchange.getMessage().getBody(KontextJob.class), KontextJob.class);
                            exchange.getMessage().setBody(status.status().name());
                        });
            }
        };
    }

    @AfterEach
    void unblock() {
        release.countDown();
    }

    @Test
    void blockedRouteStepsDoNotHoldUpOtherJobsTimeouts() throws Exception {
        List<Future<Object>> blockers = new ArrayList<>();
        for (int i = 0; i < BLOCKERS; i++) {
            blockers.add(template.asyncRequestBody("direct:blocking", "a fox that blocks " + i));
        }
        await().until(() -> blocked.get() == BLOCKERS);
        sim().setTimings(Duration.ofSeconds(60), RUN_TIME);

        // while twelve routes block after their calls, another job's timeout still fires
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> template.asyncRequestBody("flux-kontext:text-to-image?timeout=300", "a slow fox").get(10, TimeUnit.SECONDS));

        assertInstanceOf(FluxKontextTimeoutException.class, e.getCause().getCause());
        assertFalse(blockers.stream().anyMatch(Future::isDone), "the blocked routes are still blocked");
        release.countDown();
        for (Future<Object> blocker : blockers) {
            blocker.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSynchronousCallBackIntoTheComponentFromTheRouteDoesNotDeadlock() throws Exception {
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < BLOCKERS; i++) {
            calls.add(template.asyncRequestBody("direct:nested", "a fox " + i));
        }

        for (Future<Object> call : calls) {
            Object status = call.get(30, TimeUnit.SECONDS);
            assertTrue(List.of("IN_QUEUE", "IN_PROGRESS", "COMPLETED").contains(status), String.valueOf(status));
        }
        assertEquals(BLOCKERS, sim().jobs().size());
    }
}
