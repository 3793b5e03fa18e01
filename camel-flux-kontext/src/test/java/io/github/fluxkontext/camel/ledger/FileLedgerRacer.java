package io.github.fluxkontext.camel.ledger;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Another process on a {@link FileSubmissionLedger}, started by {@link FileSubmissionLedgerTest}:
 * <ul>
 * <li>{@code race DIRECTORY NAME KEYS}: prints {@code ready}, waits for a line on standard input, then stores
 * an entry of each key {@code race-0 .. race-(KEYS-1)} with token {@code NAME:key}, prints {@code won KEY}
 * for each key it stored, and {@code done}.</li>
 * <li>{@code fill DIRECTORY}: stores {@code fill-0}, {@code fill-1} ... (token {@code fill:key}), printing
 * {@code stored N} after each, until it is killed (or has stored 100,000).</li>
 * </ul>
 */
public final class FileLedgerRacer {

    static final Duration TTL = Duration.ofHours(1);

    private FileLedgerRacer() {
    }

    public static void main(String[] args) throws Exception {
        FileSubmissionLedger ledger = new FileSubmissionLedger(Path.of(args[1]));
        if (args[0].equals("race")) {
            String name = args[2];
            int keys = Integer.parseInt(args[3]);
            ledger.get("warm-up"); // opens the directory before the start
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            for (int i = 0; i < keys; i++) {
                if (ledger.putIfAbsent(entry("race-" + i, name)).isEmpty()) {
                    System.out.println("won race-" + i);
                }
            }
            System.out.println("done");
        } else {
            for (int i = 0; i < 100_000; i++) {
                ledger.putIfAbsent(entry("fill-" + i, "fill"));
                System.out.println("stored " + i);
            }
        }
        System.out.flush();
    }

    static LedgerEntry entry(String key, String owner) {
        Instant now = Instant.now();
        return new LedgerEntry(key, owner + ":" + key, LedgerState.SUBMITTING, null, "fal-ai/flux-pro/kontext", now,
                now.plus(TTL));
    }
}
