package io.github.fluxkontext.camel;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.fluxkontext.camel.client.FalClient;
import io.github.fluxkontext.camel.client.FalUrls;
import io.github.fluxkontext.camel.client.Futures;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * A producer's readiness: can its endpoint reach {@code baseUrl}, and does the service take the key? It
 * asks the status of a request id that cannot exist, once, without retries: 404 (or any answer but a
 * refusal) is UP; 401 or 403 is DOWN (a wrong or missing key); no answer at all is DOWN (unreachable).
 * Health checks are synchronous in Camel: the caller's thread waits for that one answer, at most
 * {@value #PROBE_TIMEOUT_SECONDS} seconds. It never shows the key or a URL's query.
 */
final class FluxKontextHealthCheck implements HealthCheck {

    static final long PROBE_TIMEOUT_SECONDS = 10;
    /** The detail that says why a check is DOWN, in words (what its message says). */
    static final String REASON = "reason";

    private final FluxKontextEndpoint endpoint;
    private final String id;
    private volatile boolean enabled = true;

    FluxKontextHealthCheck(FluxKontextEndpoint endpoint, String id) {
        this.endpoint = endpoint;
        this.id = id;
    }

    @Override
    public String getGroup() {
        return "camel";
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isLiveness() {
        return false; // an unreachable service is no reason to restart this application
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this)
                .detail("baseUrl", FalUrls.redact(endpoint.getConfiguration().getBaseUrl()))
                .detail("operation", endpoint.getOperation().toString());
        if (!enabled) {
            // as Camel's own checks answer when turned off (healthCheckProducerEnabled=false): no call is made
            return builder.unknown().message("Disabled").detail(CHECK_ENABLED, false).build();
        }
        FalClient client = endpoint.getClient();
        if (client == null) {
            return builder.unknown().message("The endpoint is not started").build();
        }
        try {
            int status = client.queue().probe(endpoint.getFalEndpointId()).get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            builder.detail(HTTP_RESPONSE_CODE, status);
            if (status == 401 || status == 403) {
                String why = endpoint.getConfiguration().keyRouting().credentials().isEmpty()
                        ? "The service refused the call (HTTP " + status + "): no key was sent; set apiKey (or FAL_KEY)"
                        : "The service refused the key (HTTP " + status + "): check apiKey (or FAL_KEY) and authScheme";
                // also as a detail: Spring Boot Actuator shows a check's details, not its message
                return builder.down().message(why).detail(REASON, why).build();
            }
            return builder.up().message("Reachable (HTTP " + status + " to a status request for no job)").build();
        } catch (ExecutionException e) {
            Throwable cause = Futures.unwrap(e.getCause());
            return builder.down().error(cause).message("Unreachable: " + cause.getMessage()).build();
        } catch (TimeoutException e) {
            String why = "No answer within " + PROBE_TIMEOUT_SECONDS + " s";
            return builder.down().message(why).detail(REASON, why).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return builder.unknown().message("Interrupted").build();
        }
    }
}
