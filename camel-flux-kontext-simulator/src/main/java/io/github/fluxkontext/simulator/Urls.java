package io.github.fluxkontext.simulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The URLs the simulator hands out, and recognising its own file URLs when they come back as inputs. */
final class Urls {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final String ownBase;
    private final String host;
    private final int port;
    private final LiveSettings settings;

    Urls(String ownBase, String host, int port, LiveSettings settings) {
        this.ownBase = ownBase;
        this.host = host.toLowerCase(Locale.ROOT);
        this.port = port;
        this.settings = settings;
    }

    String ownBase() {
        return ownBase;
    }

    /** Base of the queue URLs in submit/status answers: our own, or the configured foreign one. */
    String queueBase() {
        String f = settings.foreignUrlBase();
        return f != null ? f : ownBase;
    }

    String requestUrl(Job job) {
        return queueBase() + "/" + job.endpoint.appId() + "/requests/" + job.requestId;
    }

    String fileUrl(String requestId, ImageSpec spec) {
        return ownBase + "/files/" + requestId + "/" + spec.fileName();
    }

    String uploadUrl(String uploadId, String signature) {
        return ownBase + "/storage/upload/signed/" + uploadId + "?signature=" + signature;
    }

    String uploadedFileUrl(String uploadId, String fileName) {
        return ownBase + "/files/uploads/" + uploadId + "/"
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The part after {@code /files/} if the URL points at this simulator's files, else empty. */
    Optional<String> ownFilePath(String url) {
        try {
            URI u = new URI(url);
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getPort() != port || u.getHost() == null) {
                return Optional.empty();
            }
            String h = u.getHost().toLowerCase(Locale.ROOT);
            if (!LOOPBACK.contains(h) && !h.equals(host)) {
                return Optional.empty();
            }
            String path = u.getRawPath();
            return path != null && path.startsWith("/files/") ? Optional.of(path.substring(7)) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty(); // not a URL at all, so certainly not ours
        }
    }

    static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
