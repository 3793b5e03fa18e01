package io.github.fluxkontext.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The status object fal returns from submit, status polls and each SSE event (fal-protocol §1, §3). */
final class StatusJson {

    private StatusJson() {
    }

    /**
     * @param logs the log entries to include, or null for {@code "logs": null} (logs not requested)
     */
    static Map<String, Object> of(Job job, Job.View v, int queuePosition, Urls urls, List<Job.LogEntry> logs) {
        String base = urls.requestUrl(job);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", v.state().name());
        m.put("request_id", job.requestId);
        m.put("response_url", base);
        m.put("status_url", base + "/status");
        m.put("cancel_url", base + "/cancel");
        m.put("logs", logs == null ? null : logEntries(logs));
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (v.state() == Job.State.COMPLETED && v.startedAt() != null) {
            metrics.put("inference_time", KontextModel.seconds(Duration.between(v.startedAt(), v.completedAt())));
        }
        m.put("metrics", metrics);
        if (v.state() == Job.State.IN_QUEUE) {
            m.put("queue_position", Math.max(0, queuePosition));
        }
        if (v.state() == Job.State.COMPLETED && v.outcome().failed()) {
            m.put("error", v.outcome().error());
            m.put("error_type", v.outcome().errorType());
        }
        return m;
    }

    /** Flat entries, as the JS client and the Rust crate expect (the Java client's {@code labels} shape is older). */
    private static List<Map<String, Object>> logEntries(List<Job.LogEntry> logs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Job.LogEntry e : logs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("message", e.message());
            m.put("level", e.level());
            m.put("source", "USER");
            m.put("timestamp", e.timestamp().toString());
            out.add(m);
        }
        return out;
    }
}
