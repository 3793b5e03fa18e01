package io.github.fluxkontext.simulator;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * An endpoint id split as fal's clients split it: {@code [namespace/]owner/alias[/path]}. The queue
 * URLs use only the app part ({@code [namespace/]owner/alias}), the sub-path is dropped.
 *
 * @param id    the full endpoint id, e.g. {@code fal-ai/flux-pro/kontext/max}
 * @param appId the app part, e.g. {@code fal-ai/flux-pro}
 * @param kind  which kind of model it is
 */
record EndpointId(String id, String appId, Kind kind) {

    /** What the simulator does with an endpoint's input. */
    enum Kind {
        /** {@code image_url} + prompt: edit one image. */
        EDIT,
        /** prompt only. */
        TEXT_TO_IMAGE,
        /** {@code image_urls} + prompt: combine several images. */
        MULTI,
        /** Any other endpoint: no validation, a generic prompt image. */
        GENERIC;

        boolean isKontext() {
            return this != GENERIC;
        }
    }

    private static final Map<String, Kind> KONTEXT = Map.of(
            "fal-ai/flux-pro/kontext", Kind.EDIT,
            "fal-ai/flux-pro/kontext/max", Kind.EDIT,
            "fal-ai/flux-pro/kontext/text-to-image", Kind.TEXT_TO_IMAGE,
            "fal-ai/flux-pro/kontext/max/text-to-image", Kind.TEXT_TO_IMAGE,
            "fal-ai/flux-pro/kontext/multi", Kind.MULTI,
            "fal-ai/flux-pro/kontext/max/multi", Kind.MULTI);

    /** Parses a path like {@code fal-ai/flux-pro/kontext}; empty if it has no owner/alias. */
    static Optional<EndpointId> parse(String path) {
        String[] s = Arrays.stream(path.split("/")).filter(x -> !x.isEmpty()).toArray(String[]::new);
        boolean namespaced = s.length > 0 && (s[0].equals("workflows") || s[0].equals("comfy"));
        int appSegments = namespaced ? 3 : 2;
        if (s.length < appSegments) {
            return Optional.empty();
        }
        String id = String.join("/", s);
        String app = String.join("/", Arrays.copyOf(s, appSegments));
        return Optional.of(new EndpointId(id, app, KONTEXT.getOrDefault(id, Kind.GENERIC)));
    }

    /** Whether a status/result/cancel URL's app path belongs to this endpoint (owner/alias or full id form). */
    boolean servesPath(String appPath) {
        return appId.equals(appPath) || id.equals(appPath);
    }
}
