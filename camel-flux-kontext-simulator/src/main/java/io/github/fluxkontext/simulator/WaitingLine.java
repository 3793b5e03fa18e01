package io.github.fluxkontext.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The jobs waiting for a runner, in order: normal priority before low, then submission order.
 * Adding, removing and asking a job's position all take O(log n), so status polls of 10,000 queued
 * jobs do not scan the queue. Not thread-safe: the engine's lock guards it.
 */
final class WaitingLine {

    private final Lane normal = new Lane();
    private final Lane low = new Lane();

    void add(Job job) {
        lane(job).add(job);
    }

    /** False if the job was not waiting. */
    boolean remove(Job job) {
        return lane(job).remove(job);
    }

    /** 0-based number of jobs ahead, or -1 if the job is not waiting. */
    int position(Job job) {
        int inLane = lane(job).rank(job);
        return inLane < 0 || !job.lowPriority ? inLane : normal.size() + inLane;
    }

    int size() {
        return normal.size() + low.size();
    }

    boolean hasLowPriority() {
        return low.size() > 0;
    }

    /**
     * Removes and returns, in queue order, up to {@code max} jobs that {@code take} accepts; the
     * others keep their places.
     */
    List<Job> takeFirst(int max, Predicate<Job> take) {
        List<Job> taken = new ArrayList<>();
        normal.takeFirst(max, take, taken);
        low.takeFirst(max, take, taken);
        return taken;
    }

    void clear() {
        normal.clear();
        low.clear();
    }

    private Lane lane(Job job) {
        return job.lowPriority ? low : normal;
    }

    /**
     * One priority's jobs in submission order: slots appended at the end, emptied when a job leaves,
     * and a Fenwick tree over the slots counting the jobs still there, so a rank is a prefix sum.
     * When the slots run out they are compacted (or doubled if most are still in use).
     */
    private static final class Lane {
        private static final int INITIAL = 64;

        private Job[] slots = new Job[INITIAL];
        private int[] tree = new int[INITIAL + 1]; // 1-based Fenwick tree over slots
        private int end; // slots in use
        private int head; // every slot before it is empty
        private int live;
        private final Map<Job, Integer> slotOf = new HashMap<>();

        int size() {
            return live;
        }

        void add(Job job) {
            if (end == slots.length) {
                rebuild(Math.max(INITIAL, live * 2));
            }
            slots[end] = job;
            slotOf.put(job, end);
            update(end, 1);
            end++;
            live++;
        }

        boolean remove(Job job) {
            Integer slot = slotOf.remove(job);
            if (slot == null) {
                return false;
            }
            slots[slot] = null;
            update(slot, -1);
            live--;
            while (head < end && slots[head] == null) {
                head++;
            }
            return true;
        }

        int rank(Job job) {
            Integer slot = slotOf.get(job);
            return slot == null ? -1 : prefix(slot);
        }

        void takeFirst(int max, Predicate<Job> take, List<Job> taken) {
            for (int i = head; i < end && taken.size() < max; i++) {
                Job j = slots[i];
                if (j != null && take.test(j)) {
                    taken.add(j);
                    remove(j);
                }
            }
        }

        void clear() {
            empty(INITIAL);
        }

        /** Copies the waiting jobs, in order, into fresh slots of the given capacity (at least twice the live count). */
        private void rebuild(int capacity) {
            Job[] old = Arrays.copyOfRange(slots, head, end);
            empty(capacity);
            for (Job j : old) {
                if (j != null) {
                    add(j);
                }
            }
        }

        private void empty(int capacity) {
            slots = new Job[capacity];
            tree = new int[capacity + 1];
            end = 0;
            head = 0;
            live = 0;
            slotOf.clear();
        }

        private void update(int slot, int delta) {
            for (int i = slot + 1; i < tree.length; i += i & -i) {
                tree[i] += delta;
            }
        }

        /** Jobs in slots [0, slot). */
        private int prefix(int slot) {
            int sum = 0;
            for (int i = slot; i > 0; i -= i & -i) {
                sum += tree[i];
            }
            return sum;
        }
    }
}
