package io.github.fluxkontext.simulator;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Finds what a {@code /files/...} path names: an uploaded file or a job's output image (rendered on demand). */
final class FileLookup {

    /** What a files path resolves to. */
    sealed interface Result permits Found, Missing, Expired {
    }

    record Found(String contentType, byte[] bytes) implements Result {
    }

    record Missing() implements Result {
    }

    record Expired() implements Result {
    }

    private final FileStore uploads;
    private final JobEngine engine;
    private final ImageRenderer renderer;
    private final Clock clock;

    FileLookup(FileStore uploads, JobEngine engine, ImageRenderer renderer, Clock clock) {
        this.uploads = uploads;
        this.engine = engine;
        this.renderer = renderer;
        this.clock = clock;
    }

    /** @param path the path after {@code /files/}, e.g. {@code <requestId>/0.jpeg} or {@code uploads/<id>/<name>} */
    Result find(String path) {
        List<String> s = List.of(path.split("/"));
        if (s.size() >= 2 && s.get(0).equals("uploads")) {
            return uploads.uploaded(s.get(1))
                    .<Result>map(f -> new Found(f.contentType(), f.bytes()))
                    .orElse(new Missing());
        }
        if (s.size() != 2) {
            return new Missing();
        }
        Job job = engine.job(s.get(0));
        int dot = s.get(1).indexOf('.');
        if (job == null || dot < 1) {
            return new Missing();
        }
        Job.View v = job.view();
        if (v.state() != Job.State.COMPLETED || v.outcome().failed()) {
            return new Missing();
        }
        if (job.isExpired(clock.instant()) || job.isMediaExpired(clock.instant())) {
            return new Expired();
        }
        int index;
        try {
            index = Integer.parseInt(s.get(1).substring(0, dot));
        } catch (NumberFormatException e) {
            return new Missing();
        }
        List<ImageSpec> images = v.outcome().images();
        if (index < 0 || index >= images.size()
                || !images.get(index).format().extension.equals(s.get(1).substring(dot + 1))) {
            return new Missing();
        }
        return new Found(images.get(index).format().contentType, job.image(index, renderer::render));
    }

    Optional<byte[]> bytes(String path) {
        return find(path) instanceof Found f ? Optional.of(f.bytes()) : Optional.empty();
    }
}
