package io.github.fluxkontext.simulator;

/** fal's credential check: {@code Authorization: Key <key>} (API keys) or {@code Bearer <token>} (aggregators). */
final class Auth {

    private final String apiKey; // null = any non-blank credential

    Auth(String apiKey) {
        this.apiKey = apiKey;
    }

    boolean accepts(Request req) {
        String value = req.header("Authorization");
        if (value == null) {
            return false;
        }
        value = value.trim();
        int space = value.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = value.substring(0, space);
        String credential = value.substring(space + 1).trim();
        if (!scheme.equalsIgnoreCase("Key") && !scheme.equalsIgnoreCase("Bearer")) {
            return false;
        }
        if (credential.isEmpty()) {
            return false;
        }
        return apiKey == null || apiKey.equals(credential);
    }

    static Reply unauthorized() {
        return Reply.json(401, Json.detail("No user found for Key ID and Secret"));
    }
}
