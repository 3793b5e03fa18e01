package io.github.fluxkontext.camel.model;

/**
 * Bad input, found before any HTTP call: nothing was sent and nothing was billed. The message names
 * the field, the value and what is allowed.
 */
public class FluxKontextValidationException extends FluxKontextException {

    private final String field;
    private final transient Object value;

    public FluxKontextValidationException(String field, Object value, String allowed) {
        super(message(field, value, allowed), null, null, null);
        this.field = field;
        this.value = value;
    }

    /** The fal field (or option) that is wrong, e.g. {@code num_images}. */
    public String getField() {
        return field;
    }

    /** The rejected value, as given. */
    public Object getValue() {
        return value;
    }

    private static String message(String field, Object value, String allowed) {
        return "Invalid " + field + ": " + describe(value) + "; " + allowed;
    }

    /** Shows a value briefly: long strings such as data URIs are cut, so the log stays readable. */
    static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        String text = value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
        if (text.length() > 80) {
            text = text.substring(0, 77) + "...'";
        }
        return text + (value instanceof CharSequence ? "" : " (" + value.getClass().getSimpleName() + ")");
    }
}
