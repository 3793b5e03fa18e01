package io.github.fluxkontext.camel;

import java.util.Locale;

/** The Kontext model an operation submits to (option {@code model}). */
public enum FluxKontextModel {
    /** FLUX.1 Kontext [pro]: fal-ai/flux-pro/kontext/... */
    PRO,
    /** FLUX.1 Kontext [max], larger and slower: fal-ai/flux-pro/kontext/max/... */
    MAX;

    /** As written in options: {@code pro} or {@code max}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
