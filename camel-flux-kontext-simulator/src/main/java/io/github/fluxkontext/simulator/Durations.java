package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/** Duration checks, and the CLI's durations: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h} or plain milliseconds. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 60_000));
            }
            if (s.endsWith("h")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 3_600_000));
            }
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a duration: '" + text + "' (use e.g. 500ms, 2s, 1m or millis)", e);
        }
    }

    static Duration requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return d;
    }

    static Duration requirePositive(Duration d, String name) {
        if (requireNonNegative(d, name).isZero()) {
            throw new IllegalArgumentException(name + " must be > 0");
        }
        return d;
    }
}
