package io.github.fluxkontext.camel;

import java.util.Locale;

/** How a waiting exchange learns that its job is done (option {@code waitMode}); see {@link io.github.fluxkontext.camel.wait.WaitStrategy}. */
public enum WaitMode {
    /** fal's status stream ({@code GET {status_url}/stream}, server-sent events); polling where it is not offered. */
    STREAM,
    /** Status polls from pollInterval, growing to maxPollInterval. */
    POLL,
    /** fal's completion webhook, received by a flux-kontext:webhook consumer; a slow background poll as the safety net. */
    WEBHOOK;

    /** As written in options: {@code stream}, {@code poll} or {@code webhook}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
