package io.github.fluxkontext.simulator;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * An endpoint id split as fal's clients split it: {@code [namespace/]owner/alias[/path]}. The queue
 * URLs use only the app part ({@code [namespace/]owner/alias}), the sub-path is dropped: the app of
 * {@code fal-ai/flux-kontext/dev} is {@code fal-ai/flux-kontext}, that of every LoRA endpoint
 * {@code fal-ai/flux-kontext-lora}.
 *
 * @param id     the full endpoint id, e.g. {@code fal-ai/flux-pro/kontext/max}
 * @param appId  the app part, e.g. {@code fal-ai/flux-pro}
 * @param kind   what the endpoint does with its input
 * @param family which Kontext model family's schema and defaults it has
 */
record EndpointId(String id, String appId, Kind kind, Family family) {

    /** What the simulator does with an endpoint's input. */
    enum Kind {
        /** {@code image_url} + prompt: edit one image. */
        EDIT,
        /** prompt only. */
        TEXT_TO_IMAGE,
        /** {@code image_urls} + prompt: combine several images. */
        MULTI,
        /** {@code image_url} + {@code mask_url} + {@code reference_image_url} + prompt: repaint the masked area. */
        INPAINT,
        /** Any other endpoint: no validation, a generic prompt image. */
        GENERIC;

        boolean isKontext() {
            return this != GENERIC;
        }
    }

    /** The Kontext models, whose endpoints differ in fields and defaults (fal-protocol §8, §8b). */
    enum Family {
        /** FLUX.1 Kontext [pro] and [max]. */
        PRO_MAX,
        /** FLUX.1 Kontext [dev]. */
        DEV,
        /** FLUX.1 Kontext [dev] with LoRA weights. */
        LORA,
        /** Not a Kontext endpoint. */
        OTHER
    }

    private record Known(Kind kind, Family family) {
    }

    private static final Map<String, Known> KONTEXT = Map.of(
            "fal-ai/flux-pro/kontext", new Known(Kind.EDIT, Family.PRO_MAX),
            "fal-ai/flux-pro/kontext/max", new Known(Kind.EDIT, Family.PRO_MAX),
            "fal-ai/flux-pro/kontext/text-to-image", new Known(Kind.TEXT_TO_IMAGE, Family.PRO_MAX),
            "fal-ai/flux-pro/kontext/max/text-to-image", new Known(Kind.TEXT_TO_IMAGE, Family.PRO_MAX),
            "fal-ai/flux-pro/kontext/multi", new Known(Kind.MULTI, Family.PRO_MAX),
            "fal-ai/flux-pro/kontext/max/multi", new Known(Kind.MULTI, Family.PRO_MAX),
            "fal-ai/flux-kontext/dev", new Known(Kind.EDIT, Family.DEV),
            "fal-ai/flux-kontext-lora", new Known(Kind.EDIT, Family.LORA),
            "fal-ai/flux-kontext-lora/text-to-image", new Known(Kind.TEXT_TO_IMAGE, Family.LORA),
            "fal-ai/flux-kontext-lora/inpaint", new Known(Kind.INPAINT, Family.LORA));
    private static final Known OTHER = new Known(Kind.GENERIC, Family.OTHER);

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
        Known known = KONTEXT.getOrDefault(id, OTHER);
        return Optional.of(new EndpointId(id, app, known.kind(), known.family()));
    }

    /** Whether a status/result/cancel URL's app path belongs to this endpoint (owner/alias or full id form). */
    boolean servesPath(String appPath) {
        return appId.equals(appPath) || id.equals(appPath);
    }
}
