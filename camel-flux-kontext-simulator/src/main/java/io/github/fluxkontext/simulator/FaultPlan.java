package io.github.fluxkontext.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/** The armed faults of one simulator. The first armed fault that matches a request fires. */
public final class FaultPlan {

    private static final System.Logger LOG = System.getLogger(FaultPlan.class.getName());

    /** An added fault with its own countdown. */
    private static final class Armed {
        final Fault fault;
        int remaining; // -1 = always

        Armed(Fault fault) {
            this.fault = fault;
            this.remaining = fault.initialTimes();
        }
    }

    private final List<Armed> armed = new ArrayList<>();
    private Random random = new Random(0L);
    private int injected;

    FaultPlan() {
    }

    /** Arms a copy of the fault. */
    public synchronized void add(Fault f) {
        Objects.requireNonNull(f, "fault");
        armed.add(new Armed(f.copy()));
    }

    /** Disarms all faults and resets the {@link #injected()} counter. */
    public synchronized void clear() {
        armed.clear();
        injected = 0;
    }

    /** Re-seeds the Random used by {@link Fault#probability(double)}, for repeatable runs. */
    public synchronized void seed(long seed) {
        random = new Random(seed);
    }

    /** How many times a fault fired since the last {@link #clear()}. */
    public synchronized int injected() {
        return injected;
    }

    /** The fault that fires for this request, or null; counts it down. */
    synchronized Fault next(FalOperation op, String requestId) {
        for (Iterator<Armed> it = armed.iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (!a.fault.matches(op, requestId)) {
                continue;
            }
            double p = a.fault.probabilityValue();
            if (p < 1.0 && random.nextDouble() >= p) {
                continue;
            }
            if (a.remaining > 0 && --a.remaining == 0) {
                it.remove();
            }
            injected++;
            LOG.log(System.Logger.Level.DEBUG, "Injecting {0} on {1} {2}", a.fault, op, requestId);
            return a.fault;
        }
        return null;
    }
}
