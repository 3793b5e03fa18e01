package io.github.fluxkontext.camel;

/**
 * How a waiting exchange learns what its job does: polling its status, reading its status stream,
 * receiving its webhook. A strategy only reports what it saw to its {@link JobWait}
 * ({@link JobWait#statusSeen}, {@link JobWait#completed}, {@link JobWait#failed}); the wait owns the
 * deadline, decides who ends it, and fetches and applies the outcome.
 */
interface WaitStrategy {

    /** Starts watching the wait's job. Called once, on a component thread; must not block. */
    void start(JobWait wait);

    /** The wait has ended (or handed over to another strategy): stop watching and let go of what is held. */
    void stop();
}
