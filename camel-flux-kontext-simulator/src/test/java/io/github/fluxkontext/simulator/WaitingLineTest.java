package io.github.fluxkontext.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitingLineTest {

    private static final EndpointId T2I = EndpointId.parse("fal-ai/flux-pro/kontext/text-to-image").orElseThrow();
    private int seq;

    private Job job(boolean low) {
        return new Job("id-" + seq, T2I, null, Map.of(), List.of(), 1, low, seq++, 0, Instant.EPOCH, Duration.ZERO,
                null, null);
    }

    @Test
    void normalPriorityQueuesAheadOfLowThenBySubmission() {
        WaitingLine line = new WaitingLine();
        Job low1 = job(true);
        Job normal1 = job(false);
        Job low2 = job(true);
        Job normal2 = job(false);
        List.of(low1, normal1, low2, normal2).forEach(line::add);
        assertEquals(0, line.position(normal1));
        assertEquals(1, line.position(normal2));
        assertEquals(2, line.position(low1));
        assertEquals(3, line.position(low2));
        assertEquals(List.of(normal1, normal2, low1), line.takeFirst(3, j -> true));
        assertEquals(0, line.position(low2));
        assertEquals(-1, line.position(normal1));
    }

    @Test
    void removingFromTheMiddleMovesOnlyThoseBehind() {
        WaitingLine line = new WaitingLine();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(job(false));
            line.add(jobs.get(i));
        }
        assertTrue(line.remove(jobs.get(2)));
        assertFalse(line.remove(jobs.get(2)));
        assertEquals(1, line.position(jobs.get(1)));
        assertEquals(2, line.position(jobs.get(3)));
        assertEquals(3, line.position(jobs.get(4)));
        assertEquals(4, line.size());
    }

    @Test
    void takeFirstSkipsJobsNotDueAndLeavesThemInPlace() {
        WaitingLine line = new WaitingLine();
        Job notDue = job(false);
        Job due = job(false);
        line.add(notDue);
        line.add(due);
        assertEquals(List.of(due), line.takeFirst(5, j -> j == due));
        assertEquals(0, line.position(notDue));
        assertEquals(List.of(), line.takeFirst(0, j -> true));
    }

    @Test
    void positionsStayExactThroughManyAddsAndRemovals() {
        WaitingLine line = new WaitingLine();
        List<Job> expected = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 100; i++) {
                Job j = job(round % 3 == 0);
                line.add(j);
                expected.add(j);
            }
            // the head leaves (runners start jobs) and some from the middle (cancels)
            for (Job j : line.takeFirst(60, j -> true)) {
                expected.remove(j);
            }
            Job middle = expected.get(expected.size() / 2);
            line.remove(middle);
            expected.remove(middle);
        }
        expected.sort((a, b) -> a.lowPriority != b.lowPriority ? (a.lowPriority ? 1 : -1) : Long.compare(a.seq, b.seq));
        assertEquals(expected.size(), line.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(i, line.position(expected.get(i)));
        }
    }
}
