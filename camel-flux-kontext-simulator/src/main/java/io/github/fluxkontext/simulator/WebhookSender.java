package io.github.fluxkontext.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers fal's completion webhook (fal-protocol §10): one unsigned POST, no retries. Uses
 * HttpURLConnection on our own worker pool so no client threads outlive {@link FalSimulator#close()}.
 */
final class WebhookSender {

    private static final System.Logger LOG = System.getLogger(WebhookSender.class.getName());
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Executor executor;

    WebhookSender(Executor executor) {
        this.executor = executor;
    }

    void deliver(Job job) {
        if (job.webhookUrl == null) {
            return;
        }
        Outcome o = job.view().outcome();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("request_id", job.requestId);
        payload.put("gateway_request_id", job.requestId);
        if (o.failed()) {
            payload.put("status", "ERROR");
            payload.put("error", "Invalid status code: " + o.httpStatus());
        } else {
            payload.put("status", "OK");
        }
        payload.put("payload", o.body());
        byte[] body = Json.write(payload);
        try {
            executor.execute(() -> post(job.webhookUrl, body, job.requestId));
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; webhook for " + job.requestId + " not sent", e);
        }
    }

    private static void post(String url, byte[] body, String requestId) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setConnectTimeout(TIMEOUT_MILLIS);
            c.setReadTimeout(TIMEOUT_MILLIS);
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int code = c.getResponseCode();
            try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            LOG.log(code < 300 ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    "Webhook for {0} to {1} answered {2}", requestId, url, code);
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "Webhook for " + requestId + " to " + url + " failed", e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }
}
