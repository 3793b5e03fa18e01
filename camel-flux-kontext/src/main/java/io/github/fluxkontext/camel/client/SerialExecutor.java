package io.github.fluxkontext.camel.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one after another, in the order given, on a shared executor: the events of one stream keep
 * their order without a thread of their own.
 */
final class SerialExecutor implements Executor {

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            RunOrHere.run(executor, this::drain);
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
            draining.set(false);
            schedule(); // a task added after the last poll and before the flag was cleared
        }
    }
}
