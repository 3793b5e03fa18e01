package io.github.fluxkontext.camel.springboot;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.function.Supplier;

import io.github.fluxkontext.camel.FluxKontextConfiguration;
import io.github.fluxkontext.camel.FluxKontextWebhookConsumer;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the body of a POST to a started {@code flux-kontext:webhook} consumer's path no further than that consumer's
 * {@code maxWebhookSize}. Why here: on the servlet stack, Camel's platform-http binding reads the whole body into the
 * stream cache before the consumer runs, and Tomcat and Jetty bound no JSON body, so an unauthenticated caller could
 * make the server take a body of any size (chunked, with no Content-Length to refuse it by). In front of that
 * binding, this filter answers 413 for a Content-Length above the limit without reading, reads any other body into
 * a buffer of at most the limit and answers 413 at the first byte beyond it, and otherwise hands the buffered bytes
 * on, for the consumer to verify as before. Every other request passes untouched.
 * <p>
 * The consumers are looked up in the CamelContext at each POST, so routes started or stopped later count. A path
 * matches as Spring MVC maps platform-http's paths: the path within the application (the servlet context path
 * left out), or within the DispatcherServlet's mapping when that is a prefix ({@code spring.mvc.servlet.path}).
 */
final class WebhookBodyLimitFilter implements Filter {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookBodyLimitFilter.class);
    /** The largest buffer a byte array holds: a consumer with a larger limit is left to the consumer's own check. */
    private static final long MAX_BUFFER = Integer.MAX_VALUE - 8;

    private final Supplier<CamelContext> camelContext;

    /** @param camelContext gives the application's CamelContext, or null while there is none */
    WebhookBodyLimitFilter(Supplier<CamelContext> camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
            && "POST".equals(http.getMethod())) {
            OptionalLong limit = maxWebhookSizeAt(http);
            if (limit.isPresent()) {
                readBounded(http, answer, chain, limit.getAsLong());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static void readBounded(HttpServletRequest request, HttpServletResponse answer, FilterChain chain, long limit)
            throws IOException, ServletException {
        long announced = request.getContentLengthLong();
        if (announced > limit) {
            refuse(request, answer, "announces " + announced + " bytes", limit);
            return;
        }
        // one byte beyond the limit tells that the body is too large; readNBytes holds what arrived, not the limit
        byte[] body = request.getInputStream().readNBytes((int) (limit + 1));
        if (body.length > limit) {
            refuse(request, answer, "has more than " + limit + " bytes", limit);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), answer);
    }

    /** The maxWebhookSize of the started webhook consumer whose path the request is for, if any. */
    private OptionalLong maxWebhookSizeAt(HttpServletRequest request) {
        CamelContext context = camelContext.get();
        if (context == null) {
            return OptionalLong.empty();
        }
        String pathInfo = request.getPathInfo();
        String inApplication = request.getServletPath() + (pathInfo == null ? "" : pathInfo);
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof FluxKontextWebhookConsumer consumer && consumer.isStarted()) {
                FluxKontextConfiguration config = consumer.getEndpoint().getConfiguration();
                String path = config.getPath().startsWith("/") ? config.getPath() : "/" + config.getPath();
                if ((path.equals(inApplication) || path.equals(pathInfo)) && config.getMaxWebhookSize() < MAX_BUFFER) {
                    return OptionalLong.of(config.getMaxWebhookSize());
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The consumer's own 413 answer. The rest of the body is left unread, so the connection cannot carry another
     * request: it is closed once the answer is written (Tomcat discards at most server.tomcat.max-swallow-size of
     * what is still coming first). A caller may be anyone: the detail goes to the log, at DEBUG.
     */
    private static void refuse(HttpServletRequest request, HttpServletResponse answer, String what, long limit) throws IOException {
        LOG.debug("Webhook callback to {} refused: its body {}, more than maxWebhookSize ({}) (answered 413)",
                request.getRequestURI(), what, limit);
        byte[] text = FluxKontextWebhookConsumer.TOO_LARGE_TEXT.getBytes(StandardCharsets.UTF_8);
        answer.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        answer.setHeader("Connection", "close");
        answer.setContentType("text/plain; charset=utf-8");
        answer.setContentLength(text.length);
        answer.getOutputStream().write(text);
        answer.flushBuffer();
    }

    /** The request with its body read: the buffered bytes, as a stream or as characters. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            return new BufferedBodyStream(body);
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            // the servlet specification's default when the request names no charset
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }
    }

    private static final class BufferedBodyStream extends ServletInputStream {
        private final ByteArrayInputStream bytes;

        BufferedBodyStream(byte[] body) {
            this.bytes = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            return bytes.read(into, offset, length);
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        /** All of the body is here: the listener may read it at once. */
        @Override
        public void setReadListener(ReadListener listener) {
            try {
                if (!isFinished()) {
                    listener.onDataAvailable();
                }
                listener.onAllDataRead();
            } catch (IOException e) {
                listener.onError(e);
            }
        }
    }
}
