package io.github.fluxkontext.camel.ledger;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ledger in a directory of the local file system: it survives a crash ({@code kill -9}, power loss) and a
 * restart, and may be shared by several processes of the same machine. Not for a network file system,
 * whose locks and renames are not reliably atomic: share a database between machines
 * ({@link JdbcSubmissionLedger}).
 * <p>
 * Layout: {@code entries/<sha256>.entry}, one small UTF-8 text file per key, named by the hex SHA-256 of
 * the key (keys may hold any character), and {@code locks/<nn>.lock}, {@value #STRIPES} lock files, the
 * key's stripe chosen by its hash.
 * <ul>
 * <li>Every change of a key (store, replace, remove) holds its stripe's lock: an OS file lock
 * ({@link FileChannel#lock()}) between processes, and an in-process lock between the threads of this JVM,
 * where file locks are per process. Under it, the change reads the current entry and decides.</li>
 * <li>An entry is written to a temporary file, forced to disk, then renamed over the entry file
 * atomically, and the directory is forced: a reader sees the old or the new entry, never a half-written
 * one, and a stored entry survives a power loss. {@link #get} therefore reads without a lock.</li>
 * <li>A claim's lease is measured by the file system's clock, which every process of the machine shares: an
 * entry file's modification time is set by the file system when it is written (a renewal writes it again),
 * and a claim has lapsed once that time plus its lease is not after the modification time of the stripe's
 * lock file, touched just before under the lock. (A file system whose times are coarse, FAT's 2 s say, needs
 * leases well above that.)</li>
 * <li>Expired entries, and temporary files left by a process killed while writing, are deleted by
 * {@link #purgeExpired()} (the component runs it on a thread of its own once as many stores as there were
 * entries at the previous purge were made, at least 1,024).</li>
 * </ul>
 * As a bean: {@code new FileSubmissionLedger()} and {@code setDirectory("/var/lib/app/ledger")} (created if
 * missing, fixed at first use), or {@code new FileSubmissionLedger(Path)}. Thread-safe.
 */
public class FileSubmissionLedger extends ExpiringLedger {

    static final int STRIPES = 64;
    static final String ENTRIES = "entries";
    static final String LOCKS = "locks";
    static final String ENTRY_SUFFIX = ".entry";
    static final String TEMP_SUFFIX = ".tmp";

    private static final Logger LOG = LoggerFactory.getLogger(FileSubmissionLedger.class);
    private static final String FORMAT = "flux-kontext-ledger-entry 1";
    // Windows cannot open a directory to force it; NTFS journals the rename itself
    private static final boolean SYNC_DIRECTORIES = !System.getProperty("os.name", "").startsWith("Windows");
    // The in-process half of the stripe locks, one per lock file for the whole JVM: file locks belong to the
    // process, and the JVM refuses (rather than queues) a second lock on a file it already locked, so its
    // threads, of any ledger instance on the same directory, take turns here first.
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private volatile String directory;
    private volatile Layout layout;

    public FileSubmissionLedger() {
    }

    public FileSubmissionLedger(Path directory) {
        this(directory, Clock.systemUTC());
    }

    public FileSubmissionLedger(Path directory, Clock clock) {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        setDirectory(directory.toString());
        setClock(clock);
    }

    public String getDirectory() {
        return directory;
    }

    /**
     * The directory of the ledger: created if missing; it cannot change once the ledger was used.
     */
    public synchronized void setDirectory(String directory) {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException("directory must not be blank");
        }
        try {
            Path.of(directory);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("directory is not a valid path: " + e.getMessage(), e);
        }
        if (layout != null) {
            throw fixedOnceUsed("directory", this.directory);
        }
        this.directory = directory;
    }

    @Override
    Optional<LedgerEntry> store(LedgerEntry entry, Instant now) {
        Layout layout = layout();
        String name = fileName(entry.key());
        return locked(layout, name, "store the entry of key '" + entry.key() + "'", stripe -> {
            LedgerEntry current = read(layout, name);
            if (current != null && current.isLiveAt(now)) {
                return Optional.of(current);
            }
            write(layout, name, entry);
            return Optional.empty();
        });
    }

    @Override
    public boolean replace(LedgerEntry expected, LedgerEntry replacement) {
        LedgerEntry.requireSameKey(expected, replacement);
        return swap(expected, replacement, "replace the entry", (current, file, stripe) -> true);
    }

    @Override
    public boolean renew(LedgerEntry owned) {
        LedgerEntry.requireEntry("owned", owned);
        return swap(owned, null, "renew the claim",
                (current, file, stripe) -> current.state() == LedgerState.SUBMITTING && current.lease() != null);
    }

    @Override
    public boolean takeOver(LedgerEntry expected, LedgerEntry replacement) {
        LedgerEntry.requireSameKey(expected, replacement);
        return swap(expected, replacement, "take over the entry",
                (current, file, stripe) -> current.state() == LedgerState.SUBMITTING && leaseLapsed(current, file, stripe));
    }

    /**
     * Under the stripe's lock: writes {@code replacement} (null: the current entry again, which restarts its lease)
     * if the key's entry is live, has {@code expected}'s token and meets the condition.
     */
    private boolean swap(LedgerEntry expected, LedgerEntry replacement, String what, Condition condition) {
        Layout layout = layout();
        Instant now = now();
        String name = fileName(expected.key());
        return locked(layout, name, what + " of key '" + expected.key() + "'", stripe -> {
            LedgerEntry current = read(layout, name);
            if (current == null || !current.token().equals(expected.token()) || !current.isLiveAt(now)
                || !condition.holds(current, layout.entries.resolve(name + ENTRY_SUFFIX), stripe)) {
                return false;
            }
            // always a new file: the file system sets its modification time, where a lease starts
            write(layout, name, replacement != null ? replacement : current);
            return true;
        });
    }

    /**
     * Whether the claim's lease has lapsed by the file system's clock: its file was written (stored or renewed)
     * a lease or longer before the lock file was touched now. Both times are set by the file system.
     */
    private static boolean leaseLapsed(LedgerEntry claim, Path file, Stripe stripe) throws IOException {
        Duration lease = claim.lease();
        if (lease == null) {
            return true; // nobody renews a claim without a lease
        }
        FileTime renewed = Files.getLastModifiedTime(file);
        return !renewed.toInstant().plus(lease).isAfter(stripe.touch());
    }

    @Override
    public void remove(String key, String token) {
        LedgerEntry.checkKey(key);
        LedgerEntry.checkToken(token);
        Layout layout = layout();
        String name = fileName(key);
        locked(layout, name, "remove the entry of key '" + key + "'", stripe -> {
            LedgerEntry current = read(layout, name);
            if (current != null && current.token().equals(token)) {
                delete(layout, name);
            }
            return null;
        });
    }

    @Override
    public Optional<LedgerEntry> get(String key) {
        LedgerEntry.checkKey(key);
        Layout layout = layout();
        LedgerEntry current;
        try {
            current = read(layout, fileName(key)); // no lock: an entry file is only ever replaced whole
        } catch (IOException e) {
            throw new LedgerStoreException("Cannot read the entry of key '" + key + "' in ledger directory "
                                           + layout.root, e);
        }
        return current != null && current.isLiveAt(now()) ? Optional.of(current) : Optional.empty();
    }

    /** The name of a key's files: the hex SHA-256 of its UTF-8 bytes. */
    static String fileName(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256, this one has not", e);
        }
    }

    private Layout layout() {
        Layout current = layout;
        if (current == null) {
            synchronized (this) {
                if (layout == null) {
                    layout = Layout.create(directory);
                }
                current = layout;
            }
        }
        return current;
    }

    /** Runs a change of the key whose file name is {@code name} under its stripe's locks. */
    private static <T> T locked(Layout layout, String name, String what, IoAction<T> action) {
        Path lockFile = layout.locks.resolve(String.format("%02d.lock", Integer.parseInt(name.substring(0, 2), 16) % STRIPES));
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, file -> new ReentrantLock());
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.lock(); // released when the channel closes; no other thread of this JVM uses the file meanwhile
            return action.run(new Stripe(lockFile, channel));
        } catch (IOException e) {
            throw new LedgerStoreException("Cannot " + what + " in ledger directory " + layout.root, e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** The entry stored under this name, or null if there is none. */
    private static LedgerEntry read(Layout layout, String name) throws IOException {
        Path file = layout.entries.resolve(name + ENTRY_SUFFIX);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException absent) {
            return null;
        }
        LedgerEntry entry = decode(file, content);
        if (!name.equals(fileName(entry.key()))) {
            throw new LedgerStoreException("Ledger file " + file + " holds the entry of another key ('" + entry.key()
                                           + "'): it was not written by this ledger");
        }
        return entry;
    }

    private static void write(Layout layout, String name, LedgerEntry entry) throws IOException {
        Path temp = layout.entries.resolve(name + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(encode(entry));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true); // the content is on disk before the entry's name points to it
            }
            Files.move(temp, layout.entries.resolve(name + ENTRY_SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(layout.entries); // the rename itself survives a power loss
    }

    private static void delete(Layout layout, String name) throws IOException {
        Files.deleteIfExists(layout.entries.resolve(name + ENTRY_SUFFIX));
        syncDirectory(layout.entries);
    }

    private static void syncDirectory(Path directory) throws IOException {
        if (SYNC_DIRECTORIES) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }

    /**
     * Deletes expired entries and the temporary files of writers that died. An unreadable entry file is
     * logged and left alone (only its own key fails, when used).
     */
    @Override
    long sweep(Instant now) {
        Layout layout = layout();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.entries)) {
            long kept = 0;
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String name = fileName.substring(0, Math.max(0, fileName.indexOf('.')));
                if (name.length() != 64) {
                    continue; // not a file of this ledger
                }
                if (fileName.endsWith(TEMP_SUFFIX)) {
                    deleteAbandoned(layout, name, file);
                } else if (fileName.endsWith(ENTRY_SUFFIX) && sweepEntry(layout, name, now)) {
                    kept++;
                }
            }
            return kept;
        } catch (IOException e) {
            throw new LedgerStoreException("Cannot sweep expired entries out of ledger directory " + layout.root, e);
        }
    }

    /**
     * Deletes a temporary file of a writer that died: they exist only while their writer holds the stripe's lock,
     * so one seen under it is abandoned. One that cannot be deleted is logged and left for the next sweep.
     */
    private static void deleteAbandoned(Layout layout, String name, Path file) {
        try {
            locked(layout, name, "delete the abandoned file " + file.getFileName(), stripe -> Files.deleteIfExists(file));
        } catch (LedgerStoreException e) {
            LOG.warn("Ledger sweep: leaving {} alone: {}", file.getFileName(), e.getMessage(), e);
        }
    }

    /** Deletes the entry if it has expired; true if a live (or unreadable) entry stays. */
    private static boolean sweepEntry(Layout layout, String name, Instant now) {
        try {
            return locked(layout, name, "delete the expired entry " + name, stripe -> {
                LedgerEntry current = read(layout, name);
                if (current == null) {
                    return false; // removed meanwhile
                }
                if (current.isLiveAt(now)) {
                    return true;
                }
                delete(layout, name);
                return false;
            });
        } catch (LedgerStoreException e) {
            LOG.warn("Ledger sweep: leaving {} alone: {}", name + ENTRY_SUFFIX, e.getMessage(), e);
            return true;
        }
    }

    private static byte[] encode(LedgerEntry entry) {
        StringBuilder text = new StringBuilder(FORMAT).append('\n');
        field(text, "key", entry.key());
        field(text, "token", entry.token());
        field(text, "state", entry.state().name());
        field(text, "requestId", entry.requestId() == null ? "" : entry.requestId());
        field(text, "endpointId", entry.endpointId());
        field(text, "createdAt", Long.toString(entry.createdAt().toEpochMilli()));
        field(text, "expiresAt", Long.toString(entry.expiresAt().toEpochMilli()));
        // lease: added later; a reader of the first version ignores the field, an entry without it has no lease
        field(text, "lease", entry.lease() == null ? "" : Long.toString(entry.lease().toMillis()));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder text, String name, String value) {
        // percent-encoded: keys may hold line breaks, '=' and any other character
        text.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('\n');
    }

    private static LedgerEntry decode(Path file, byte[] content) {
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n");
        if (!FORMAT.equals(lines[0])) {
            throw new LedgerStoreException("Ledger file " + file + " does not start with '" + FORMAT + "'");
        }
        try {
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int equals = lines[i].indexOf('=');
                if (equals < 0) {
                    throw new IllegalArgumentException("line " + (i + 1) + " is not name=value");
                }
                fields.put(lines[i].substring(0, equals), URLDecoder.decode(lines[i].substring(equals + 1), StandardCharsets.UTF_8));
            }
            String requestId = required(fields, "requestId");
            String lease = fields.getOrDefault("lease", "");
            return new LedgerEntry(required(fields, "key"), required(fields, "token"),
                    LedgerState.valueOf(required(fields, "state")), requestId.isEmpty() ? null : requestId,
                    required(fields, "endpointId"),
                    Instant.ofEpochMilli(Long.parseLong(required(fields, "createdAt"))),
                    Instant.ofEpochMilli(Long.parseLong(required(fields, "expiresAt"))),
                    lease.isEmpty() ? null : Duration.ofMillis(Long.parseLong(lease)));
        } catch (IllegalArgumentException e) { // also a bad escape, number or state name
            throw new LedgerStoreException("Ledger file " + file + " holds no valid entry: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no field " + name);
        }
        return value;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds(LedgerEntry current, Path file, Stripe stripe) throws IOException;
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run(Stripe stripe) throws IOException;
    }

    /** The lock file of a stripe, locked by the running action. */
    private record Stripe(Path lockFile, FileChannel channel) {

        /** The file system's time now: the lock file is written to, and the file system sets its modification time. */
        Instant touch() throws IOException {
            channel.write(ByteBuffer.wrap(new byte[] { '.' }), 0);
            return Files.getLastModifiedTime(lockFile).toInstant();
        }
    }

    /** The ledger's directories, resolved (and created) at first use. */
    private record Layout(Path root, Path entries, Path locks) {

        static Layout create(String directory) {
            if (directory == null) {
                throw new IllegalStateException("directory must be set before the ledger is used");
            }
            try {
                Path root = Path.of(directory);
                Files.createDirectories(root.resolve(ENTRIES));
                Files.createDirectories(root.resolve(LOCKS));
                // one real path per directory, so that every instance on it shares the in-process locks
                root = root.toRealPath();
                return new Layout(root, root.resolve(ENTRIES), root.resolve(LOCKS));
            } catch (IOException e) {
                throw new LedgerStoreException("Cannot create the ledger directory " + directory, e);
            }
        }
    }
}
