package io.github.fluxkontext.camel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.fluxkontext.camel.submit.JobPlaces;
import io.github.fluxkontext.camel.support.JobStatistics;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;

/**
 * The {@code flux-kontext} dev console: per endpoint, the jobs waiting (by last status and how they are
 * watched), submits, completions, failures by type, stream fallbacks, retries, the billable units and inference
 * time of the jobs (totals, with how many jobs gave them) and the last errors with their request ids; per
 * component, the open status streams and the exchanges queued for a
 * maxConcurrentJobs place. It reads one snapshot of each and renders it to text and to JSON. No secrets, no URL
 * queries.
 */
@DevConsole(name = "flux-kontext", displayName = "FLUX.1 Kontext", description = "Jobs waiting, streams, places and errors of flux-kontext")
public class FluxKontextDevConsole extends AbstractDevConsole {

    /** A component's figures at one moment, with those of its endpoints that run. */
    private record ComponentView(String name, int openStreams, int maxOpenStreams, int maxConcurrentJobs, int placesTaken,
                                 int queuedForAPlace, List<EndpointView> endpoints) {
    }

    /** An endpoint's figures at one moment. */
    private record EndpointView(String uri, String waitMode, JobFigures.Snapshot figures) {
    }

    public FluxKontextDevConsole() {
        super("camel", "flux-kontext", "FLUX.1 Kontext", "Jobs waiting, streams, places and errors of flux-kontext");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder text = new StringBuilder();
        for (ComponentView component : components()) {
            text.append(String.format("Component %s: %d open status stream(s), %d of %d job place(s) taken, %d exchange(s) queued for one%n",
                    component.name(), component.openStreams(), component.placesTaken(), component.maxConcurrentJobs(),
                    component.queuedForAPlace()));
            for (EndpointView endpoint : component.endpoints()) {
                JobFigures.Snapshot f = endpoint.figures();
                text.append(String.format("  %s%n    waiting: %d %s%n    submits %d, completions %d, failures %d %s, stream fallbacks %d, retries %d%n",
                        endpoint.uri(), f.waiting(), f.waitingByStatus(), f.submits(), f.completions(), f.failures(), f.failuresByType(),
                        f.streamFallbacks(), f.retries()));
                text.append(String.format(Locale.ROOT, "    cost: %s billable unit(s) over %d job(s), %.3f s inference over %d job(s)%n",
                        f.billableUnits().toPlainString(), f.billedJobs(), f.inferenceSeconds(), f.timedJobs()));
                for (JobStatistics.LastError error : f.lastErrors()) {
                    text.append(String.format("    %s %s (request %s): %s%n", error.at(), error.type(), error.requestId(), error.message()));
                }
            }
        }
        return text.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        List<Map<String, Object>> components = new ArrayList<>();
        for (ComponentView component : components()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", component.name());
            json.put("openStreams", component.openStreams());
            json.put("maxOpenStreams", component.maxOpenStreams());
            json.put("maxConcurrentJobs", component.maxConcurrentJobs());
            json.put("placesTaken", component.placesTaken());
            json.put("queuedForAPlace", component.queuedForAPlace());
            json.put("endpoints", component.endpoints().stream().map(FluxKontextDevConsole::json).toList());
            components.add(json);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("components", components);
        return root;
    }

    private static Map<String, Object> json(EndpointView endpoint) {
        JobFigures.Snapshot f = endpoint.figures();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uri", endpoint.uri());
        json.put("waitMode", endpoint.waitMode());
        json.put("waiting", f.waiting());
        json.put("waitingByStatus", f.waitingByStatus());
        json.put("submits", f.submits());
        json.put("completions", f.completions());
        json.put("failures", f.failures());
        json.put("failuresByType", f.failuresByType());
        json.put("streamFallbacks", f.streamFallbacks());
        json.put("retries", f.retries());
        json.put("billableUnits", f.billableUnits());
        json.put("billedJobs", f.billedJobs());
        json.put("inferenceSeconds", f.inferenceSeconds());
        json.put("timedJobs", f.timedJobs());
        json.put("lastErrors", f.lastErrors().stream().map(error -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("at", error.at().toString());
            e.put("requestId", error.requestId());
            e.put("type", error.type());
            e.put("message", error.message());
            return e;
        }).toList());
        return json;
    }

    /** Each flux-kontext component of the context, with the endpoints of it that run (from the context's registry). */
    private List<ComponentView> components() {
        CamelContext camel = getCamelContext();
        List<ComponentView> views = new ArrayList<>();
        for (String name : camel.getComponentNames()) {
            if (camel.hasComponent(name) instanceof FluxKontextComponent component) {
                List<EndpointView> endpoints = new ArrayList<>();
                for (Endpoint endpoint : camel.getEndpoints()) {
                    if (endpoint instanceof FluxKontextEndpoint flux && flux.getComponent() == component && flux.isStarted()) {
                        endpoints.add(new EndpointView(flux.getEndpointBaseUri(), flux.getWaitMode(), flux.jobFigures().snapshot()));
                    }
                }
                JobPlaces places = component.currentJobPlaces();
                views.add(new ComponentView(name, component.getOpenStreams(), component.getMaxOpenStreams(), component.getMaxConcurrentJobs(),
                        places == null ? 0 : places.taken(), places == null ? 0 : places.queued(), endpoints));
            }
        }
        return views;
    }
}
