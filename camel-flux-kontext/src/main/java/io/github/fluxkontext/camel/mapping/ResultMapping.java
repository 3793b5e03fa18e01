package io.github.fluxkontext.camel.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.github.fluxkontext.camel.FluxKontextConstants;
import io.github.fluxkontext.camel.ImageBytesList;
import io.github.fluxkontext.camel.OutputType;
import io.github.fluxkontext.camel.client.DownloadedImage;
import io.github.fluxkontext.camel.client.FalStorage;
import io.github.fluxkontext.camel.model.ImageFormat;
import io.github.fluxkontext.camel.model.KontextImage;
import io.github.fluxkontext.camel.model.KontextJob;
import io.github.fluxkontext.camel.model.KontextResult;
import io.github.fluxkontext.camel.support.JobStatistics;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Puts a job's handle or output on the exchange: headers always, the body per {@code outputType}. */
public final class ResultMapping {

    private final FalStorage storage;
    private final OutputType outputType;
    private final JobStatistics statistics;

    /** @param statistics the endpoint's, which count the cost and time of each job whose output is mapped */
    public ResultMapping(FalStorage storage, OutputType outputType, JobStatistics statistics) {
        this.storage = storage;
        this.outputType = outputType;
        this.statistics = statistics;
    }

    /** The handle's headers: request id, endpoint id, status, queue position. */
    public static void jobHeaders(Message message, KontextJob job) {
        message.setHeader(FluxKontextConstants.REQUEST_ID, job.requestId());
        if (job.endpointId() != null) {
            message.setHeader(FluxKontextConstants.ENDPOINT_ID, job.endpointId());
        }
        if (job.status() != null) {
            message.setHeader(FluxKontextConstants.STATUS, job.status().name());
        }
        if (job.queuePosition() != null) {
            message.setHeader(FluxKontextConstants.QUEUE_POSITION, job.queuePosition());
        } else {
            message.removeHeader(FluxKontextConstants.QUEUE_POSITION);
        }
    }

    /**
     * What the result makes of the message: headers always, the body per {@code outputType}. With
     * {@code bytes} the images are fetched first (asynchronously); nothing touches the message until the
     * returned change is applied, so a wait that ended meanwhile (timeout, stop) leaves it alone.
     */
    public CompletableFuture<Consumer<Message>> prepare(KontextResult result) {
        statistics.charged(result.billableUnits(), result.inferenceTime()); // billed whether or not the exchange still waits
        if (outputType == OutputType.BYTES) {
            return download(result).thenApply(images -> message -> {
                resultHeaders(message, result);
                putBytes(message, result, images);
            });
        }
        return CompletableFuture.completedFuture(message -> {
            resultHeaders(message, result);
            message.setBody(outputType == OutputType.URLS ? result.imageUrls() : result);
        });
    }

    private static void resultHeaders(Message message, KontextResult result) {
        message.setHeader(FluxKontextConstants.REQUEST_ID, result.requestId());
        message.setHeader(FluxKontextConstants.STATUS, "COMPLETED");
        message.removeHeader(FluxKontextConstants.QUEUE_POSITION);
        // data URIs (sync mode) can be megabytes: they stay in the body, out of headers
        message.setHeader(FluxKontextConstants.RESULT_IMAGE_URLS,
                result.images().stream().filter(image -> !image.isDataUri()).map(KontextImage::url).toList());
        message.setHeader(FluxKontextConstants.IMAGE_COUNT, result.images().size());
        if (result.seed() != null) {
            message.setHeader(FluxKontextConstants.RESULT_SEED, result.seed());
        }
        message.setHeader(FluxKontextConstants.NSFW_CONCEPTS, result.hasNsfwConcepts());
        // never left over from an earlier flux-kontext call of the route: this job's figures, or none
        setOrRemove(message, FluxKontextConstants.BILLABLE_UNITS, result.billableUnits());
        setOrRemove(message, FluxKontextConstants.INFERENCE_TIME, result.inferenceTime());
    }

    private static void setOrRemove(Message message, String header, Object value) {
        if (value != null) {
            message.setHeader(header, value);
        } else {
            message.removeHeader(header);
        }
    }

    private CompletableFuture<List<DownloadedImage>> download(KontextResult result) {
        List<CompletableFuture<DownloadedImage>> downloads = result.images().stream().map(image -> storage.download(image.url(), image.contentType())).toList();
        return CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new))
                .thenApply(done -> downloads.stream().map(CompletableFuture::join).toList());
    }

    private static void putBytes(Message message, KontextResult result, List<DownloadedImage> images) {
        List<String> names = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            names.add(result.requestId() + "-" + i + "." + extension(images.get(i), result.images().get(i)));
        }
        message.setHeader(FluxKontextConstants.FILE_NAMES, names);
        if (!images.isEmpty() && images.get(0).contentType() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, images.get(0).contentType());
        }
        if (images.size() == 1) {
            message.setHeader(Exchange.FILE_NAME, names.get(0));
            message.setBody(images.get(0).bytes());
        } else {
            message.removeHeader(Exchange.FILE_NAME);
            message.setBody(new ImageBytesList(images.stream().map(DownloadedImage::bytes).toList(), result.requestId()));
        }
    }

    private static String extension(DownloadedImage downloaded, KontextImage described) {
        ImageFormat format = ImageFormat.detect(downloaded.bytes());
        if (format == null) {
            format = ImageFormat.ofMimeType(downloaded.contentType() != null ? downloaded.contentType() : described.contentType());
        }
        return format != null ? format.extension() : "img";
    }
}
