package io.github.fluxkontext.camel.client;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands a task to an executor, or runs it on this thread when the executor refuses it (it has shut down): a task
 * that completes a future or hands an exchange back must run late rather than never, or its caller waits forever.
 */
public final class RunOrHere {

    private RunOrHere() {
    }

    /** Runs {@code task} on {@code executor}, or here if the executor refuses it. */
    public static void run(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException refused) {
            task.run();
        }
    }
}
