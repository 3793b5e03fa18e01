package io.github.fluxkontext.camel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Component;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;

/**
 * The {@code flux-kontext} dev console: per endpoint, the jobs waiting (by last status and how they are
 * watched), submits, completions, failures by type, stream fallbacks, retries and the last errors with
 * their request ids; per component, the open status streams and the exchanges queued for a
 * maxConcurrentJobs place. No secrets, no URL queries.
 */
@DevConsole(name = "flux-kontext", displayName = "FLUX.1 Kontext", description = "Jobs waiting, streams, places and errors of flux-kontext")
public class FluxKontextDevConsole extends AbstractDevConsole {

    public FluxKontextDevConsole() {
        super("camel", "flux-kontext", "FLUX.1 Kontext", "Jobs waiting, streams, places and errors of flux-kontext");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> component : components()) {
            text.append(String.format("Component %s: %s open status stream(s), %s of %s job place(s) taken, %s exchange(s) queued for one%n",
                    component.get("name"), component.get("openStreams"), component.get("placesTaken"), component.get("maxConcurrentJobs"),
                    component.get("queuedForAPlace")));
            for (Object e : (List<?>) component.get("endpoints")) {
                Map<?, ?> endpoint = (Map<?, ?>) e;
                text.append(String.format("  %s%n    waiting: %s %s%n    submits %s, completions %s, failures %s %s, stream fallbacks %s, retries %s%n",
                        endpoint.get("uri"), endpoint.get("waiting"), endpoint.get("waitingByStatus"), endpoint.get("submits"),
                        endpoint.get("completions"), endpoint.get("failures"), endpoint.get("failuresByType"),
                        endpoint.get("streamFallbacks"), endpoint.get("retries")));
                for (Object last : (List<?>) endpoint.get("lastErrors")) {
                    Map<?, ?> error = (Map<?, ?>) last;
                    text.append(String.format("    %s %s (request %s): %s%n", error.get("at"), error.get("type"), error.get("requestId"),
                            error.get("message")));
                }
            }
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("components", components());
        return root;
    }

    private List<Map<String, Object>> components() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : getCamelContext().getComponentNames()) {
            Component component = getCamelContext().hasComponent(name);
            if (component instanceof FluxKontextComponent flux) {
                out.add(component(name, flux));
            }
        }
        return out;
    }

    private static Map<String, Object> component(String name, FluxKontextComponent component) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("openStreams", component.getOpenStreams());
        json.put("maxOpenStreams", component.getMaxOpenStreams());
        json.put("maxConcurrentJobs", component.getMaxConcurrentJobs());
        JobPlaces places = component.currentJobPlaces();
        json.put("placesTaken", places == null ? 0 : places.taken());
        json.put("queuedForAPlace", places == null ? 0 : places.queued());
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (FluxKontextEndpoint endpoint : component.startedEndpoints()) {
            endpoints.add(endpoint(endpoint));
        }
        json.put("endpoints", endpoints);
        return json;
    }

    private static Map<String, Object> endpoint(FluxKontextEndpoint endpoint) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uri", endpoint.getEndpointBaseUri());
        json.put("waitMode", endpoint.getWaitMode());
        json.put("waiting", endpoint.getWaitingJobs());
        json.put("waitingByStatus", endpoint.getWaitingJobsByStatus());
        json.put("submits", endpoint.getSubmits());
        json.put("completions", endpoint.getCompletions());
        json.put("failures", endpoint.getFailures());
        json.put("failuresByType", endpoint.getFailuresByType());
        json.put("streamFallbacks", endpoint.getStreamFallbacks());
        json.put("retries", endpoint.getRetries());
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JobStatistics.LastError error : endpoint.statistics().lastErrors()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("at", error.at().toString());
            e.put("requestId", error.requestId());
            e.put("type", error.type());
            e.put("message", error.message());
            errors.add(e);
        }
        json.put("lastErrors", errors);
        return json;
    }
}
