package io.github.fluxkontext.camel;

import java.util.Locale;

/** The Kontext model an operation submits to (option {@code model}). */
public enum FluxKontextModel {
    /** FLUX.1 Kontext [pro]: fal-ai/flux-pro/kontext/... */
    PRO,
    /** FLUX.1 Kontext [max], larger and slower: fal-ai/flux-pro/kontext/max/... */
    MAX,
    /** FLUX.1 Kontext [dev], edit only, at a lower price: fal-ai/flux-kontext/dev. */
    DEV,
    /** FLUX.1 Kontext [dev] with a user's LoRA weights: edit, text-to-image and inpaint, fal-ai/flux-kontext-lora/... */
    LORA;

    /** As written in options: {@code pro}, {@code max}, {@code dev} or {@code lora}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
