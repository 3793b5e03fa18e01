package io.github.fluxkontext.simulator;

/** The answer of a fault that replaces the normal one: fal-style bodies per status code. */
final class FaultReplies {

    private FaultReplies() {
    }

    static Reply reply(HttpFault fault) {
        int code = fault.effectiveStatus();
        Reply r;
        if (fault.body() != null) {
            r = Reply.rawJson(code, fault.body());
        } else if (code >= 500) {
            String type = errorType(code);
            r = Reply.json(code, Json.requestError(message(type), type)).header(Outcome.ERROR_TYPE_HEADER, type);
        } else {
            r = Reply.json(code, Json.detail(detail(code)));
        }
        fault.headers().forEach(r::header);
        return r;
    }

    /** The request-error table's typical type for each code (fal-protocol §7). */
    private static String errorType(int code) {
        return switch (code) {
            case 502 -> "runner_incomplete_response";
            case 503 -> "runner_scheduling_failure";
            case 504 -> "request_timeout";
            default -> "internal_error";
        };
    }

    private static String message(String errorType) {
        return switch (errorType) {
            case "runner_incomplete_response" -> "Runner returned an incomplete response";
            case "runner_scheduling_failure" -> "No runner could be scheduled for the request";
            case "request_timeout" -> "Request timed out";
            default -> "Internal server error";
        };
    }

    private static String detail(int code) {
        return switch (code) {
            case 400 -> "Bad request";
            case 401 -> "No user found for Key ID and Secret";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request timeout";
            case 409 -> "Conflict";
            case 429 -> "Too many requests";
            default -> "Error " + code;
        };
    }
}
