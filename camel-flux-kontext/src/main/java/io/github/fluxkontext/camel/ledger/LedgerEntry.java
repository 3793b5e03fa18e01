package io.github.fluxkontext.camel.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One idempotency key's entry in a {@link SubmissionLedger}.
 * <p>
 * The text fields may hold any Unicode characters but U+0000 (which PostgreSQL cannot store in text), and
 * must be well-formed UTF-16 (no unpaired surrogate, which no store could give back as written); lengths
 * are counted in {@code char}s. Times are kept to the millisecond, the precision every store holds.
 *
 * @param key        the idempotency key: a message id or a business key, 1 to {@value #MAX_KEY_LENGTH} characters
 * @param token      identifies the owner of the entry (who may replace or remove it), 1 to {@value #MAX_TOKEN_LENGTH}
 *                   characters; {@link #submitting} makes a random one
 * @param state      what is known of the submit
 * @param requestId  fal's request id of the job: set exactly when the state is {@link LedgerState#SUBMITTED},
 *                   at most {@value #MAX_ID_LENGTH} characters
 * @param endpointId the fal endpoint (model) the submit went to, where the job is fetched from, 1 to
 *                   {@value #MAX_ID_LENGTH} characters
 * @param createdAt  when the entry was made
 * @param expiresAt  when it expires: after {@code createdAt}; from this instant on the entry counts as absent
 * @param lease      for a {@link LedgerState#SUBMITTING} entry, how long its claim holds after it was stored or last
 *                   renewed ({@link SubmissionLedger#renew}), by the ledger's own clock: while it holds, the submit
 *                   may still be under way and nobody takes the key over ({@link SubmissionLedger#takeOver}). Null
 *                   for a {@link LedgerState#SUBMITTED} entry (the answer ended the claim), and for a claim without a
 *                   lease (written before leases existed), which counts as lapsed. Whole milliseconds, 1 ms to
 *                   {@value #MAX_LEASE_DAYS} days.
 */
public record LedgerEntry(String key, String token, LedgerState state, String requestId, String endpointId,
                          Instant createdAt, Instant expiresAt, Duration lease) {

    public static final int MAX_KEY_LENGTH = 512;
    public static final int MAX_TOKEN_LENGTH = 64;
    public static final int MAX_ID_LENGTH = 255;
    public static final int MAX_LEASE_DAYS = 3650;

    // Instants whose epoch milliseconds fit in a long: what the stores write
    private static final Instant EARLIEST = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    public LedgerEntry {
        checkKey(key);
        checkToken(token);
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        if (state == LedgerState.SUBMITTED) {
            checkText("requestId", requestId, MAX_ID_LENGTH);
        } else if (requestId != null) {
            throw new IllegalArgumentException("requestId must be null while the state is " + state
                                               + " (fal has not answered), but is '" + requestId + "'");
        }
        checkText("endpointId", endpointId, MAX_ID_LENGTH);
        createdAt = checkInstant("createdAt", createdAt);
        expiresAt = checkInstant("expiresAt", expiresAt);
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt (" + expiresAt + ") must be after createdAt (" + createdAt + ")");
        }
        lease = checkLease(state, lease);
    }

    /** An entry without a lease: a {@link LedgerState#SUBMITTED} one, or a claim that nobody renews. */
    public LedgerEntry(String key, String token, LedgerState state, String requestId, String endpointId, Instant createdAt,
                       Instant expiresAt) {
        this(key, token, state, requestId, endpointId, createdAt, expiresAt, null);
    }

    /**
     * A new entry, with a random token, for a submit about to be sent.
     *
     * @param ttl how long the entry lives: a message that comes again within it does not submit again
     */
    public static LedgerEntry submitting(String key, String endpointId, Duration ttl, Clock clock) {
        return submitting(key, endpointId, ttl, null, clock);
    }

    /**
     * A new entry, with a random token, for a submit about to be sent, whose sender keeps its claim alive.
     *
     * @param ttl   how long the entry lives: a message that comes again within it does not submit again
     * @param lease how long the claim holds after each renewal (null: no lease)
     */
    public static LedgerEntry submitting(String key, String endpointId, Duration ttl, Duration lease, Clock clock) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, but is " + ttl);
        }
        Instant now = requireClock(clock).instant();
        return new LedgerEntry(key, UUID.randomUUID().toString(), LedgerState.SUBMITTING, null, endpointId, now,
                now.plus(ttl), lease);
    }

    /**
     * This entry once fal answered: {@link LedgerState#SUBMITTED} with the request id; same key, token (the
     * owner stays the same) and times; no lease any more.
     */
    public LedgerEntry withRequestId(String requestId) {
        return new LedgerEntry(key, token, LedgerState.SUBMITTED, requestId, endpointId, createdAt, expiresAt, null);
    }

    /**
     * True while the entry has not expired at {@code now}.
     */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /**
     * Checks an idempotency key as the ledgers accept it.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static void checkKey(String key) {
        checkText("key", key, MAX_KEY_LENGTH);
    }

    static void checkToken(String token) {
        checkText("token", token, MAX_TOKEN_LENGTH);
    }

    static Clock requireClock(Clock clock) {
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        return clock;
    }

    static LedgerEntry requireEntry(String field, LedgerEntry entry) {
        if (entry == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return entry;
    }

    static void requireSameKey(LedgerEntry expected, LedgerEntry replacement) {
        requireEntry("expected", expected);
        requireEntry("replacement", replacement);
        if (!expected.key().equals(replacement.key())) {
            throw new IllegalArgumentException("replacement must have the key of expected ('" + expected.key()
                                               + "'), but has '" + replacement.key() + "'");
        }
    }

    private static void checkText(String field, String value, int maxLength) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " must be at most " + maxLength + " characters long, but is "
                                               + value.length() + " long (it starts with '"
                                               + value.substring(0, 40) + "')");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                throw new IllegalArgumentException(field + " must not contain the character U+0000, found at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " is not well-formed UTF-16: unpaired surrogate U+"
                                                   + Integer.toHexString(c).toUpperCase() + " at index " + i);
            }
        }
    }

    private static Duration checkLease(LedgerState state, Duration lease) {
        if (lease == null) {
            return null;
        }
        if (state != LedgerState.SUBMITTING) {
            throw new IllegalArgumentException("lease must be null while the state is " + state + " (only a claim has one), but is "
                                               + lease);
        }
        if (lease.toMillis() < 1 || lease.compareTo(Duration.ofDays(MAX_LEASE_DAYS)) > 0) {
            throw new IllegalArgumentException("lease must be 1 ms to " + MAX_LEASE_DAYS + " days, but is " + lease);
        }
        return Duration.ofMillis(lease.toMillis());
    }

    private static Instant checkInstant(String field, Instant value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new IllegalArgumentException(field + " must be within the range of epoch milliseconds, but is " + value);
        }
        return value.truncatedTo(ChronoUnit.MILLIS);
    }
}
