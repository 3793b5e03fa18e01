package io.github.fluxkontext.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.fluxkontext.camel.FluxKontextConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * The samples the example ships, under {@code samples/} on the class path, as jobs for the routes:
 * <ul>
 * <li>{@code samples/text-to-image/<name>.txt}: a prompt, to {@code direct:text-to-image};</li>
 * <li>{@code samples/edit/<name>.<png|jpg>} with its instruction in {@code samples/edit/<name>.txt}, to
 * {@code direct:edit} (the same convention as the watched {@code input/edit} folder);</li>
 * <li>{@code samples/multi/<name>.txt}: an instruction for all the images of {@code samples/multi/}, in
 * the order of their names, to {@code direct:multi}.</li>
 * </ul>
 * All jobs are sent at once; the component waits for them without holding threads.
 */
final class SampleJobs {

    /** One sample job. */
    record Job(String operation, String name, Object body, Map<String, Object> headers) {
    }

    /** How one job ended: the files written, or the failure. */
    record Outcome(Job job, List<Path> files, Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }
    }

    private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".webp");

    private SampleJobs() {
    }

    /** The shipped samples, as jobs: text-to-image first, then edit, then multi. */
    static List<Job> load(CamelContext context) {
        List<Job> jobs = new ArrayList<>();
        for (Resource prompt : find(context, "samples/text-to-image/*.txt")) {
            jobs.add(new Job("text-to-image", baseName(prompt), text(prompt), Map.of(ExampleRoutes.NAME, baseName(prompt))));
        }
        List<Resource> editFiles = find(context, "samples/edit/*");
        for (Resource image : editFiles) {
            if (isImage(image)) {
                Resource instruction = editFiles.stream().filter(r -> fileName(r).equals(baseName(image) + ".txt")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("samples/edit/" + fileName(image) + " has no instruction "
                                                                     + baseName(image) + ".txt"));
                jobs.add(new Job("edit", baseName(image), bytes(image),
                        Map.of(ExampleRoutes.NAME, baseName(image), FluxKontextConstants.PROMPT, text(instruction))));
            }
        }
        List<Resource> multiFiles = find(context, "samples/multi/*");
        List<byte[]> images = multiFiles.stream().filter(SampleJobs::isImage).map(SampleJobs::bytes).toList();
        for (Resource instruction : multiFiles) {
            if (fileName(instruction).endsWith(".txt")) {
                jobs.add(new Job("multi", baseName(instruction), images,
                        Map.of(ExampleRoutes.NAME, baseName(instruction), FluxKontextConstants.PROMPT, text(instruction))));
            }
        }
        return jobs;
    }

    /** Sends every job at once to its route and waits until all have ended. */
    @SuppressWarnings("unchecked")
    static List<Outcome> run(ProducerTemplate template, List<Job> jobs, Duration timeout) {
        List<CompletableFuture<Outcome>> running = new ArrayList<>();
        for (Job job : jobs) {
            CompletableFuture<Object> reply = template.asyncRequestBodyAndHeaders("direct:" + job.operation(), job.body(), job.headers());
            running.add(reply.handle((files, failure) -> failure == null
                    ? new Outcome(job, ((List<String>) files).stream().map(Path::of).toList(), null)
                    : new Outcome(job, List.of(), unwrap(failure))));
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // reported per job below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // cannot happen: every outcome is handled
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            outcomes.add(running.get(i).getNow(new Outcome(jobs.get(i), List.of(),
                    new TimeoutException("not done after " + timeout.toSeconds() + " s"))));
        }
        return outcomes;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof CamelExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static List<Resource> find(CamelContext context, String pattern) {
        try {
            List<Resource> found = new ArrayList<>(PluginHelper.getPackageScanResourceResolver(context).findResources("classpath:" + pattern));
            found.sort(Comparator.comparing(SampleJobs::fileName));
            return found;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list the samples " + pattern, e);
        }
    }

    private static String fileName(Resource resource) {
        String location = resource.getLocation().replace('\\', '/');
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String baseName(Resource resource) {
        String name = fileName(resource);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean isImage(Resource resource) {
        String name = fileName(resource).toLowerCase(Locale.ROOT);
        return IMAGE_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static byte[] bytes(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource.getLocation(), e);
        }
    }

    private static String text(Resource resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8).strip();
    }
}
