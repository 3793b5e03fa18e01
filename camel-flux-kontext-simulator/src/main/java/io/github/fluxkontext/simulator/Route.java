package io.github.fluxkontext.simulator;

import java.util.List;

/**
 * Where a request goes.
 *
 * @param operation what it is
 * @param path      for queue operations the app path before {@code /requests/} (owner/alias or a full
 *                  endpoint id); for a submit the endpoint id; for files and uploads the rest of the path
 * @param requestId the request id in the path, or null
 * @param allowed   false if the path is known but the method is not (405)
 */
record Route(FalOperation operation, String path, String requestId, boolean allowed) {

    static Route classify(Request req) {
        List<String> s = req.segments();
        String method = req.method();
        if (s.size() >= 2 && s.get(0).equals("files")) {
            // output files are /files/{requestId}/{index}.{ext}: journal them (and match faults) by job
            String job = s.size() == 3 && !s.get(1).equals("uploads") ? s.get(1) : null;
            return new Route(FalOperation.FILE, join(s, 1, s.size()), job, method.equals("GET"));
        }
        if (s.equals(List.of(".well-known", "jwks.json"))) {
            return new Route(FalOperation.JWKS, "", null, method.equals("GET"));
        }
        if (s.size() >= 3 && s.get(0).equals("storage") && s.get(1).equals("upload")) {
            if (s.size() == 3 && s.get(2).equals("initiate")) {
                return new Route(FalOperation.STORAGE_INITIATE, "", null, method.equals("POST"));
            }
            if (s.get(2).equals("signed")) {
                return new Route(FalOperation.STORAGE_UPLOAD, join(s, 3, s.size()), null, method.equals("PUT"));
            }
        }
        // {app}/requests/{id}[/status[/stream]|/cancel]; the app has at least owner/alias
        for (int i = 2; i + 1 < s.size(); i++) {
            if (!s.get(i).equals("requests")) {
                continue;
            }
            String app = join(s, 0, i);
            String id = s.get(i + 1);
            List<String> rest = s.subList(i + 2, s.size());
            if (rest.isEmpty()) {
                return new Route(FalOperation.RESULT, app, id, method.equals("GET"));
            }
            if (rest.equals(List.of("status"))) {
                return new Route(FalOperation.STATUS, app, id, method.equals("GET"));
            }
            if (rest.equals(List.of("status", "stream"))) {
                return new Route(FalOperation.STATUS_STREAM, app, id, method.equals("GET"));
            }
            if (rest.equals(List.of("cancel"))) {
                return new Route(FalOperation.CANCEL, app, id, method.equals("PUT"));
            }
        }
        if (s.size() >= 2 && method.equals("POST")) {
            return new Route(FalOperation.SUBMIT, join(s, 0, s.size()), null, true);
        }
        return new Route(FalOperation.UNKNOWN, req.path(), null, true);
    }

    /**
     * Uploads are authorised by their signed URL and files are public, as on fal's CDN; the JWKS is
     * fetched without credentials, as from fal's.
     */
    boolean needsAuth() {
        return operation != FalOperation.FILE && operation != FalOperation.STORAGE_UPLOAD
                && operation != FalOperation.JWKS;
    }

    private static String join(List<String> s, int from, int to) {
        return String.join("/", s.subList(from, to));
    }
}
