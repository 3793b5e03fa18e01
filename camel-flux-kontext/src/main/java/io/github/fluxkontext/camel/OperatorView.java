package io.github.fluxkontext.camel;

import java.math.BigDecimal;
import java.util.Map;

import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.spi.EndpointServiceLocation;

/**
 * What operators and their tools read of a {@code flux-kontext} endpoint, never a secret: its JMX attributes (its
 * {@link JobFigures}, which the dev console shows too, its base URL, operation and wait mode) and where its service is
 * ({@link EndpointServiceLocation}). The endpoint implements it; Camel's management reads the attributes of the
 * interfaces a managed endpoint implements, as it does for its own MBean interfaces.
 */
public interface OperatorView extends EndpointServiceLocation {

    /** The endpoint's figures. */
    JobFigures jobFigures();

    FluxKontextConfiguration getConfiguration();

    FluxKontextOperation getOperation();

    @ManagedAttribute(description = "Exchanges waiting for their jobs now")
    default int getWaitingJobs() {
        return jobFigures().waiting();
    }

    @ManagedAttribute(description = "Waiting exchanges by the job's last status and how they watch it (stream, poll, webhook)")
    default Map<String, Integer> getWaitingJobsByStatus() {
        return jobFigures().waitingByStatus();
    }

    @ManagedAttribute(description = "Jobs submitted")
    default long getSubmits() {
        return jobFigures().submits();
    }

    @ManagedAttribute(description = "Waits that ended with the job's output")
    default long getCompletions() {
        return jobFigures().completions();
    }

    @ManagedAttribute(description = "Waits and calls that ended with an error")
    default long getFailures() {
        return jobFigures().failures();
    }

    @ManagedAttribute(description = "Failures by exception type")
    default Map<String, Long> getFailuresByType() {
        return jobFigures().failuresByType();
    }

    @ManagedAttribute(description = "Waits whose status stream could not be used and that went on by polling")
    default long getStreamFallbacks() {
        return jobFigures().streamFallbacks();
    }

    @ManagedAttribute(description = "HTTP calls sent again (retries)")
    default long getRetries() {
        return jobFigures().retries();
    }

    @ManagedAttribute(description = "Units fal billed for the jobs whose output this endpoint delivered (x-fal-billable-units;"
                                    + " webhook callbacks carry none)")
    default BigDecimal getBillableUnits() {
        return jobFigures().billableUnits();
    }

    @ManagedAttribute(description = "Inference seconds at fal of the jobs whose output this endpoint delivered")
    default double getInferenceSeconds() {
        return jobFigures().inferenceSeconds();
    }

    @ManagedAttribute(description = "Status streams open now, over the component's endpoints")
    default int getOpenStreams() {
        return jobFigures().openStreams();
    }

    @ManagedAttribute(description = "Exchanges waiting for one of the component's maxConcurrentJobs places")
    default int getQueuedForAPlace() {
        return jobFigures().queuedForAPlace();
    }

    @ManagedAttribute(description = "Purges of expired submission ledger entries that failed, over the component's endpoints"
                                    + " (no submit failed for them)")
    default long getLedgerPurgeFailures() {
        return jobFigures().ledgerPurgeFailures();
    }

    @ManagedAttribute(description = "The queue API's base URL")
    default String getBaseUrl() {
        return getConfiguration().getBaseUrl();
    }

    @ManagedAttribute(description = "The operation: edit, text-to-image, multi, status, result or cancel")
    default String getOperationName() {
        return getOperation().toString();
    }

    @ManagedAttribute(description = "How waiting exchanges learn their jobs are done: stream, poll or webhook")
    default String getWaitMode() {
        return getConfiguration().getWaitMode().toString();
    }

    @Override
    default String getServiceUrl() {
        return getConfiguration().getBaseUrl();
    }

    @Override
    default String getServiceProtocol() {
        return "http";
    }

    @Override
    default Map<String, String> getServiceMetadata() {
        return Map.of("operation", getOperation().toString(), "model", getConfiguration().getModel().toString(), "endpointId",
                getConfiguration().falEndpointId(getOperation()));
    }
}
