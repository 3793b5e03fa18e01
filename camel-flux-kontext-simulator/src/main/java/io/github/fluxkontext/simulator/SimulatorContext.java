package io.github.fluxkontext.simulator;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What the route handlers share. */
final class SimulatorContext {

    final SimulatorConfig config;
    final LiveSettings settings;
    final Clock clock;
    final Urls urls;
    final JobEngine engine;
    final FileStore uploads;
    final FileLookup files;
    final ScheduledExecutorService scheduler;

    SimulatorContext(SimulatorConfig config, LiveSettings settings, Clock clock, Urls urls, JobEngine engine,
                     FileStore uploads, FileLookup files, ScheduledExecutorService scheduler) {
        this.config = config;
        this.settings = settings;
        this.clock = clock;
        this.urls = urls;
        this.engine = engine;
        this.uploads = uploads;
        this.files = files;
        this.scheduler = scheduler;
    }

    /** The job a status/result/cancel URL names, or null if unknown or under another app. */
    Job job(Route route) {
        Job job = route.requestId() == null ? null : engine.job(route.requestId());
        return job != null && job.endpoint.servesPath(route.path()) ? job : null;
    }
}
