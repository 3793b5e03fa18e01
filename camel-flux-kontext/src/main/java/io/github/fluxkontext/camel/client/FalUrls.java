package io.github.fluxkontext.camel.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How fal's queue URLs are formed from an endpoint id, and which origin a URL belongs to. The rules
 * follow fal's own clients (fal-js {@code parseEndpointId}, fal_client {@code AppId}): status, result
 * and cancel live under the app id ({@code owner/alias}, with the {@code workflows/} and {@code comfy/}
 * namespaces kept), not under the full endpoint id.
 */
public final class FalUrls {

    private static final Set<String> NAMESPACES = Set.of("workflows", "comfy");
    private static final Pattern LEGACY_APP_ID = Pattern.compile("\\d+-[\\w.-]+");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    /** '.' and '..' would move the path up a level behind the base URL's own path (an aggregator's prefix). */
    private static final Pattern DOTS = Pattern.compile("\\.+");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    // fal request ids are UUIDs; accept any URL-safe token so other queues keep working, but never
    // anything that could change the path (slashes, dots-only, query or fragment characters).
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private FalUrls() {
    }

    /**
     * Checks an endpoint id ({@code owner/alias[/path...]}) and returns it normalised (legacy
     * {@code 123-name} ids become {@code 123/name}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String normalizeEndpointId(String endpointId) {
        if (endpointId == null || endpointId.isBlank()) {
            throw new IllegalArgumentException("the endpoint id is empty; expected owner/alias[/path], e.g. fal-ai/flux-pro/kontext");
        }
        String id = endpointId.strip();
        while (id.startsWith("/")) {
            id = id.substring(1);
        }
        if (!id.contains("/")) {
            if (LEGACY_APP_ID.matcher(id).matches()) {
                return id.replaceFirst("-", "/");
            }
            throw new IllegalArgumentException("endpoint id '" + endpointId + "' has no owner; expected owner/alias[/path], e.g. fal-ai/flux-pro/kontext");
        }
        String[] segments = id.split("/");
        int required = NAMESPACES.contains(segments[0]) ? 3 : 2;
        if (segments.length < required || Arrays.stream(segments).anyMatch(s -> !SEGMENT.matcher(s).matches() || DOTS.matcher(s).matches())) {
            throw new IllegalArgumentException("endpoint id '" + endpointId + "' is malformed; expected owner/alias[/path] made of"
                                               + " letters, digits, '.', '_', '~' and '-', no segment of dots only ('.', '..'),"
                                               + " and no empty segment (namespaces workflows/ and comfy/ take namespace/owner/alias)");
        }
        return id;
    }

    /** The app id of an endpoint id: {@code owner/alias}, or {@code namespace/owner/alias}. */
    public static String appId(String endpointId) {
        String[] segments = normalizeEndpointId(endpointId).split("/");
        int length = NAMESPACES.contains(segments[0]) ? 3 : 2;
        return String.join("/", Arrays.copyOf(segments, length));
    }

    /** Checks that a request id is a single URL-safe path segment. */
    public static String checkRequestId(String requestId) {
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("request id '" + requestId + "' is not a fal request id (expected a UUID-like token of"
                                               + " letters, digits, '-', '_' and '.')");
        }
        return requestId;
    }

    /** {@code base + "/" + path}, with exactly one slash between. */
    public static String join(String base, String path) {
        String left = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return left + "/" + (path.startsWith("/") ? path.substring(1) : path);
    }

    /**
     * The URL for messages and logs: its query, which may carry a signature, a token or a webhook address,
     * becomes {@code ?...}, and so does a fragment; credentials before the host ({@code user:password@}) become
     * {@code ...@}; a {@code data:} URI is cut short.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            return (comma > 0 ? url.substring(0, comma) : "data:") + ",...(" + url.length() + " chars)";
        }
        int query = url.indexOf('?');
        int fragment = url.indexOf('#');
        int cut = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
        String redacted = cut < 0 ? url : url.substring(0, cut);
        int scheme = redacted.indexOf("://");
        int host = scheme < 0 ? 0 : scheme + 3;
        int path = redacted.indexOf('/', host);
        int at = redacted.lastIndexOf('@', (path < 0 ? redacted.length() : path) - 1);
        if (at >= host) {
            redacted = redacted.substring(0, host) + "..." + redacted.substring(at);
        }
        return cut < 0 ? redacted : redacted + "?...";
    }

    /**
     * Whether a request may go to this URL: http(s) only, and plain http only to loopback unless allowed
     * (it would carry the input, or fetch the output, unencrypted).
     */
    public static boolean isAllowedTarget(String url, boolean allowInsecureHttp) {
        String origin = origin(url);
        if (origin == null) {
            return false;
        }
        return origin.startsWith("https://") || origin.startsWith("http://") && (allowInsecureHttp || isLoopback(url));
    }

    /** The URL with one more path segment, before its query if it has one. */
    public static String appendPath(String url, String segment) {
        int query = url.indexOf('?');
        String path = query < 0 ? url : url.substring(0, query);
        return join(path, segment) + (query < 0 ? "" : url.substring(query));
    }

    /** The URL with one more query parameter ({@code name=value}), whether it has a query already or not. */
    public static String withQuery(String url, String parameter) {
        return url + (url.indexOf('?') < 0 ? "?" : "&") + parameter;
    }

    /** The result URL of a job, derived from the base URL and the endpoint id. */
    public static String responseUrl(String baseUrl, String endpointId, String requestId) {
        return join(baseUrl, appId(endpointId) + "/requests/" + checkRequestId(requestId));
    }

    /**
     * The origin of a URL ({@code scheme://host:port}, lower-case, default port made explicit), or null
     * when the URL has none. Credentials are sent only to configured origins, compared this way.
     */
    public static String origin(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * Whether the host of a URL is loopback: {@code localhost}, an IPv4 literal in 127.0.0.0/8, or
     * {@code [::1]} (plain http is fine there). A name such as {@code 127.example.com} is not.
     */
    public static boolean isLoopback(String url) {
        try {
            String host = new URI(url).getHost();
            if (host == null) {
                return false;
            }
            String h = host.toLowerCase(Locale.ROOT);
            return h.equals("localhost") || LOOPBACK_V4.matcher(h).matches() || h.equals("[::1]") || h.equals("::1");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether a URL points at one of fal's own hosts (which expect the {@code Key} auth scheme). */
    public static boolean isFalHost(String url) {
        try {
            String host = new URI(url).getHost();
            if (host == null) {
                return false;
            }
            String h = host.toLowerCase(Locale.ROOT);
            return h.equals("fal.run") || h.endsWith(".fal.run") || h.equals("fal.ai") || h.endsWith(".fal.ai");
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
