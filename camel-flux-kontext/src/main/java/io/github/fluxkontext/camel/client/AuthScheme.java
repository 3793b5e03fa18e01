package io.github.fluxkontext.camel.client;

/** The scheme of the {@code Authorization} header. */
public enum AuthScheme {
    /** fal's own: {@code Authorization: Key <key_id:key_secret>}. */
    KEY("Key"),
    /** Aggregators that re-expose fal's paths: {@code Authorization: Bearer <token>}. */
    BEARER("Bearer");

    private final String value;

    AuthScheme(String value) {
        this.value = value;
    }

    /** The scheme as written in the header: {@code Key} or {@code Bearer}. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
