package io.github.fluxkontext.example;

import io.github.fluxkontext.camel.model.FluxKontextValidationException;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;

import static io.github.fluxkontext.camel.FluxKontextConstants.IDEMPOTENCY_KEY;
import static io.github.fluxkontext.camel.FluxKontextConstants.PROMPT;
import static io.github.fluxkontext.camel.FluxKontextConstants.REQUEST_ID;

/**
 * The example's routes in the Java DSL. {@code src/main/resources/routes/flux-kontext-example.yaml} holds
 * the very same routes in YAML; {@code example.routes} chooses which set runs.
 * <ul>
 * <li>{@code direct:text-to-image} (prompt as body), {@code direct:edit} (image as body, instruction in
 * {@code CamelFluxKontextPrompt}), {@code direct:multi} (list of images as body, instruction in
 * {@code CamelFluxKontextPrompt}): one job each; the header {@code ExampleName} names the files. They
 * answer with the paths of the files written.</li>
 * <li>{@code save-images} writes each image of a result as
 * {@code <example.output-dir>/<operation>/<name>-<n>.<jpg|png>}.</li>
 * <li>{@code watch-text-to-image} and {@code watch-edit} watch the input folder (only with
 * {@code example.watch=true}): a prompt file {@code input/text-to-image/<name>.txt}, or an image
 * {@code input/edit/<name>.png|jpg|jpeg|webp} with its instruction in {@code input/edit/<name>.txt}.
 * The image is taken once its {@code .txt} is there (Camel's done file); processed inputs move to
 * {@code .done}, failed ones to {@code .failed}, so a failing job is never submitted twice. Each submit carries an
 * idempotency key made of the input: {@code text-to-image/<file name>/<SHA-256 of the prompt file>}, or
 * {@code edit/<file name>/<SHA-256 of the image>/<SHA-256 of the instruction>}; with the example's file ledger a
 * watch restarted after a crash (the input is read again) or an input dropped again unchanged gets the job that
 * exists instead of a second, billed one, and a changed input is a new job.</li>
 * <li>{@code webhook} (only with {@code example.webhook=true}): the flux-kontext:webhook consumer, on Camel
 * Main's HTTP server. With waitMode=webhook it completes the jobs waiting above when their callbacks come;
 * a callback no exchange waits for (a job submitted elsewhere with this URL) goes on here, and its images
 * are saved under {@code webhook/}, named after the request id.</li>
 * </ul>
 */
public class ExampleRoutes extends RouteBuilder {

    /** Names the job's files: {@code <name>-<n>.<ext>}. */
    public static final String NAME = "ExampleName";
    /** The folder under the output folder: the operation's name. */
    public static final String FOLDER = "ExampleFolder";

    @Override
    public void configure() {
        // input the component refuses (an empty prompt file, say) was not sent: one line says why, instead of Camel's
        // stack trace; the exchange still fails, so a watched input moves to .failed
        onException(FluxKontextValidationException.class)
                .logExhausted(false)
                .log(LoggingLevel.WARN, "'${header.ExampleName}' was not sent: ${exception.message}");

        from("direct:text-to-image").routeId("text-to-image")
                .log("text-to-image '${header.ExampleName}': ${bodyOneLine}")
                .to("flux-kontext:text-to-image?outputType=bytes")
                .setHeader(FOLDER, constant("text-to-image"))
                .to("direct:save-images");

        from("direct:edit").routeId("edit")
                .log("edit '${header.ExampleName}': ${header.CamelFluxKontextPrompt}")
                .to("flux-kontext:edit?outputType=bytes")
                .setHeader(FOLDER, constant("edit"))
                .to("direct:save-images");

        from("direct:multi").routeId("multi")
                .log("multi '${header.ExampleName}': ${header.CamelFluxKontextPrompt}")
                .to("flux-kontext:multi?outputType=bytes")
                .setHeader(FOLDER, constant("multi"))
                .to("direct:save-images");

        // one image comes as byte[], several as List<byte[]>: the split takes both
        from("direct:save-images").routeId("save-images")
                .log("'${header.ExampleName}' done: request ${header.CamelFluxKontextRequestId},"
                     + " ${header.CamelFluxKontextImageCount} image(s), seed ${header.CamelFluxKontextResultSeed}")
                .split(simple("${iif(${body} is 'java.util.List',${body},${list(${body})})}"), new GroupedBodyAggregationStrategy())
                    .setHeader(Exchange.FILE_NAME, simple("${header.ExampleFolder}/${header.ExampleName}-${sum(${exchangeProperty.CamelSplitIndex},1)}"
                                                          + ".${iif(${header.Content-Type} == 'image/png',png,jpg)}"))
                    .to("file:{{example.output-dir}}")
                    .log("wrote ${header.CamelFileNameProduced}")
                    .setBody(header(Exchange.FILE_NAME_PRODUCED))
                .end();

        from("file:{{example.input-dir}}/text-to-image?antInclude=*.txt&move=.done&moveFailed=.failed")
                .routeId("watch-text-to-image").autoStartup("{{example.watch}}")
                .setHeader(NAME, simple("${file:onlyname.noext}"))
                .setHeader(IDEMPOTENCY_KEY, simple("text-to-image/${file:name}/${hash(${body})}"))
                .to("direct:text-to-image");

        from("file:{{example.input-dir}}/edit?antInclude=*.png,*.jpg,*.jpeg,*.webp&doneFileName=${file:name.noext}.txt"
             + "&move=.done&moveFailed=.failed")
                .routeId("watch-edit").autoStartup("{{example.watch}}")
                .setHeader(NAME, simple("${file:onlyname.noext}"))
                .setHeader(PROMPT, simple("${trim(${load(file:${file:parent}/${file:onlyname.noext}.txt)})}"))
                .setHeader(IDEMPOTENCY_KEY, simple("edit/${file:name}/${hash(${body})}/${hash(${header.CamelFluxKontextPrompt})}"))
                .to("direct:edit");

        from("flux-kontext:webhook?path={{example.webhook.path}}&outputType=bytes")
                .routeId("webhook").autoStartup("{{example.webhook}}")
                .setHeader(NAME, header(REQUEST_ID))
                .setHeader(FOLDER, constant("webhook"))
                .to("direct:save-images");
    }
}
