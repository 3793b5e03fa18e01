package io.github.fluxkontext.camel.ledger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileSubmissionLedgerTest extends SubmissionLedgerContract {

    @TempDir
    Path directory;

    @Override
    protected SubmissionLedger openLedger() {
        return new FileSubmissionLedger(directory, clock);
    }

    private Path entries() {
        return directory.resolve(FileSubmissionLedger.ENTRIES);
    }

    @Test
    void entriesSurviveARestart() {
        LedgerEntry entry = stored("order-1");

        SubmissionLedger restarted = openLedger();
        assertEquals(Optional.of(entry), restarted.get("order-1"));
        assertTrue(restarted.replace(entry, entry.withRequestId("req-1")), "the owner's token still works");
        assertEquals(Optional.of(entry.withRequestId("req-1")), openLedger().get("order-1"));
    }

    @Test
    void eachKeyHasOneReadableFileNamedByTheSha256OfTheKey() throws IOException {
        ledger.putIfAbsent(submitting("order-1").withRequestId("req-1"));

        // printf 'order-1' | sha256sum
        Path file = entries().resolve("0bafe22156d2698c143b86040446d366ead863ba600d5c924f3d15c786ef4057.entry");
        List<String> lines = Files.readAllLines(file);
        assertEquals("flux-kontext-ledger-entry 1", lines.get(0));
        assertTrue(lines.contains("key=order-1"), () -> "file: " + lines);
        assertTrue(lines.contains("state=SUBMITTED"), () -> "file: " + lines);
        assertTrue(lines.contains("endpointId=fal-ai%2Fflux-pro%2Fkontext"), () -> "file: " + lines);
        try (Stream<Path> files = Files.list(entries())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFileThatIsNoEntryIsAnErrorNamingIt() throws IOException {
        ledger.putIfAbsent(submitting("order-1"));
        Path file = entries().resolve(FileSubmissionLedger.fileName("order-1") + FileSubmissionLedger.ENTRY_SUFFIX);
        Files.writeString(file, "something else");

        LedgerStoreException failure = assertThrows(LedgerStoreException.class, () -> ledger.get("order-1"));
        assertEquals("Ledger file " + file.toRealPath() + " does not start with 'flux-kontext-ledger-entry 1'",
                failure.getMessage());
        assertThrows(LedgerStoreException.class, () -> ledger.putIfAbsent(submitting("order-1")),
                "an unreadable entry is never overwritten as if absent");
    }

    @Test
    void readersNeverSeeAHalfWrittenEntry() throws Exception {
        LedgerEntry first = stored("order-1");
        // two versions of different lengths, written in turn by the owner while another instance reads
        List<LedgerEntry> versions = List.of(first.withRequestId("r".repeat(LedgerEntry.MAX_ID_LENGTH)),
                first.withRequestId("s"));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writes = writer.submit(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        assertTrue(ledger.replace(first, versions.get(i % 2)));
                    }
                } finally {
                    writing.set(false);
                }
                return null;
            });
            SubmissionLedger reader = openLedger();
            int reads = 0;
            while (writing.get()) {
                LedgerEntry seen = reader.get("order-1").orElseThrow();
                assertTrue(seen.equals(first) || versions.contains(seen), () -> "read " + seen);
                reads++;
            }
            writes.get(60, TimeUnit.SECONDS);
            assertTrue(reads > 0);
        } finally {
            writer.shutdownNow();
        }
    }

    @Override
    protected boolean storeHolds(String key) {
        return Files.exists(entries().resolve(FileSubmissionLedger.fileName(key) + FileSubmissionLedger.ENTRY_SUFFIX));
    }

    @Test
    void leasesAreJudgedByTheFileSystemsClockNotTheInstances() {
        assertLeasesAreJudgedByTheStoresClock(new FileSubmissionLedger(directory, new MutableClock(clock.instant().plus(Duration.ofHours(1)))));
    }

    @Test
    void anEntryWrittenBeforeLeasesIsReadAsAClaimWithoutOne() throws IOException {
        LedgerEntry earlier = stored("order-1");
        Path file = entries().resolve(FileSubmissionLedger.fileName("order-1") + FileSubmissionLedger.ENTRY_SUFFIX);
        // the first version of the format had no lease field
        Files.write(file, Files.readAllLines(file).stream().filter(line -> !line.startsWith("lease=")).toList());

        assertEquals(Optional.of(earlier), ledger.get("order-1"));
        LedgerEntry taker = claim("order-1");
        assertTrue(ledger.takeOver(earlier, taker), "nobody renews it: it counts as lapsed");
        assertTrue(Files.readAllLines(file).contains("lease=" + LEASE.toMillis()));
    }

    @Test
    void expiredEntriesAndFilesOfDeadWritersArePurged() throws IOException {
        for (int i = 0; i < 10; i++) {
            ledger.putIfAbsent(submitting("old-" + i));
        }
        // what a writer killed in the middle of writing leaves
        Path abandoned = entries().resolve(FileSubmissionLedger.fileName("old-x") + "." + UUID.randomUUID()
                                           + FileSubmissionLedger.TEMP_SUFFIX);
        Files.writeString(abandoned, "flux-kontext-ledger-entry 1\nkey=ol");
        clock.advance(TTL);

        // a purge is due at the 1,024th store, counting the first ten
        for (int i = 10; i < PurgeSchedule.MIN_WRITES; i++) {
            ledger.putIfAbsent(submitting("new-" + i));
        }
        assertTrue(ledger.purgeDue());
        ledger.purgeExpired();

        assertFalse(Files.exists(abandoned));
        for (int i = 0; i < 10; i++) {
            assertFalse(Files.exists(entries().resolve(FileSubmissionLedger.fileName("old-" + i) + ".entry")), "old-" + i);
        }
        try (Stream<Path> files = Files.list(entries())) {
            assertEquals(PurgeSchedule.MIN_WRITES - 10, files.count());
        }
    }

    @Test
    void processesRacingForTheSameKeysHaveExactlyOneWinnerPerKey() throws Exception {
        int keys = 300;
        List<Process> children = new ArrayList<>();
        Map<String, String> winners = new HashMap<>();
        try {
            for (String name : List.of("child-1", "child-2")) {
                children.add(startRacer("race", directory.toString(), name, Integer.toString(keys)));
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process child : children) {
                outputs.add(new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)));
                assertEquals("ready", outputs.get(outputs.size() - 1).readLine());
            }
            for (Process child : children) {
                Writer go = child.outputWriter();
                go.write("go\n");
                go.flush();
            }
            // this JVM races too
            FileSubmissionLedger mine = new FileSubmissionLedger(directory);
            for (int i = 0; i < keys; i++) {
                if (mine.putIfAbsent(FileLedgerRacer.entry("race-" + i, "parent")).isEmpty()) {
                    assertEquals(null, winners.put("race-" + i, "parent"));
                }
            }
            for (int c = 0; c < children.size(); c++) {
                for (String line = outputs.get(c).readLine(); !"done".equals(line); line = outputs.get(c).readLine()) {
                    assertTrue(line != null && line.startsWith("won "), "child said: " + line);
                    String previous = winners.put(line.substring(4), "child-" + (c + 1));
                    assertEquals(null, previous, line + ", but " + previous + " won it too");
                }
                assertTrue(children.get(c).waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, children.get(c).exitValue());
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }

        assertEquals(keys, winners.size(), "every key has a winner");
        FileSubmissionLedger after = new FileSubmissionLedger(directory);
        winners.forEach((key, winner) -> assertEquals(winner + ":" + key, after.get(key).orElseThrow().token()));
        Map<String, Long> wins = winners.values().stream().collect(Collectors.groupingBy(w -> w, Collectors.counting()));
        System.out.printf("file ledger, 3 processes racing for %d keys: wins %s%n", keys, wins);
    }

    @Test
    void entriesStoredBeforeAKillDashNineAreThereAfterIt() throws Exception {
        Process child = startRacer("fill", directory.toString());
        int stored = -1;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            while (stored < 200) {
                String line = output.readLine();
                assertTrue(line != null && line.startsWith("stored "), "child said: " + line);
                stored = Integer.parseInt(line.substring(7));
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, possibly in the middle of a write
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }

        FileSubmissionLedger restarted = new FileSubmissionLedger(directory);
        for (int i = 0; i <= stored; i++) {
            assertEquals("fill:fill-" + i, restarted.get("fill-" + i).orElseThrow().token());
        }
        // the entries after the last reported one are each whole or absent
        int whole = 0;
        for (int i = stored + 1; restarted.get("fill-" + i).isPresent(); i++) {
            whole++;
        }
        System.out.printf("file ledger: killed after entry %d was reported, %d more stored whole%n", stored, whole);
        assertEquals(Set.of(), leftoversOtherThanEntries(), "only whole entries and abandoned temporary files remain");
    }

    private Set<String> leftoversOtherThanEntries() throws IOException {
        try (Stream<Path> files = Files.list(entries())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> !n.endsWith(FileSubmissionLedger.ENTRY_SUFFIX) && !n.endsWith(FileSubmissionLedger.TEMP_SUFFIX))
                    .collect(Collectors.toSet());
        }
    }

    private static Process startRacer(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), FileLedgerRacer.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
