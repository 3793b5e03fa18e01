package io.github.fluxkontext.camel;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The exchanges waiting for their jobs on one endpoint, so that stopping the endpoint ends them all. */
final class JobWaits {

    private final Set<JobWait> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean open;

    /** From now on waits may register. */
    void open() {
        open = true;
    }

    /** Registers a wait; false when the endpoint is stopping (then the wait must end at once). */
    boolean add(JobWait wait) {
        waits.add(wait);
        if (!open) {
            waits.remove(wait);
            return false;
        }
        return true;
    }

    void remove(JobWait wait) {
        waits.remove(wait);
    }

    int size() {
        return waits.size();
    }

    /** How many wait, by the status last seen and the way they watch their job: {@code IN_QUEUE, stream -> 3}. */
    Map<String, Integer> byStatusAndMode() {
        Map<String, Integer> counts = new TreeMap<>();
        for (JobWait wait : waits) {
            String status = wait.job().status() == null ? "UNKNOWN" : wait.job().status().name();
            counts.merge(status + ", " + wait.strategy(), 1, Integer::sum);
        }
        return counts;
    }

    /** Refuses new waits and stops the ones registered, each with the request id to pick its job up later. */
    void stopAll() {
        open = false;
        for (JobWait wait : List.copyOf(waits)) {
            wait.stop();
        }
        waits.clear();
    }
}
