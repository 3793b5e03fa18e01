package io.github.fluxkontext.simulator;

/**
 * What an injected fault does to a job ({@code Fault.on(JOB).failJob(...)}): it completes with this
 * error instead of its images.
 */
record JobFault(int httpStatus, String errorType, String message) {

    static final JobFault DEFAULT = new JobFault(500, "runner_server_error", "Runner server error");

    Outcome outcome() {
        return Outcome.requestError(httpStatus, errorType, message);
    }
}
