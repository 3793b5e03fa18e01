package io.github.fluxkontext.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The single HTTP entry point: reads the request, classifies it, checks auth, applies an injected
 * fault if one fires, hands it to its route's handler, journals and sends the answer. No HTTP thread
 * waits: delays and answers not known yet resume on the HTTP pool, event streams are handed over.
 */
final class Router implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final SimulatorContext ctx;
    private final Auth auth;
    private final FaultPlan faults;
    private final SimulatorJournal journal;
    private final Map<FalOperation, RouteHandler> handlers;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService httpPool;

    Router(SimulatorContext ctx, Auth auth, FaultPlan faults, SimulatorJournal journal,
           Map<FalOperation, RouteHandler> handlers, ScheduledExecutorService scheduler, ExecutorService httpPool) {
        this.ctx = ctx;
        this.auth = auth;
        this.faults = faults;
        this.journal = journal;
        this.handlers = handlers;
        this.scheduler = scheduler;
        this.httpPool = httpPool;
    }

    @Override
    public void handle(HttpExchange exchange) {
        Request req;
        try {
            req = Request.read(exchange, ctx.clock.instant());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not read a request; closing its connection", e);
            exchange.close();
            return;
        }
        Call call = new Call(exchange, req, Route.classify(req));
        guarded(call, () -> process(call, null));
    }

    /** @param delayedFault the fault that already fired and delayed this call, else null */
    private void process(Call call, Fault delayedFault) throws IOException {
        Route route = call.route;
        if (route.needsAuth() && !auth.accepts(call.req)) {
            call.send(Auth.unauthorized());
            return;
        }
        Fault fault = delayedFault != null ? delayedFault : faults.next(route.operation(), route.requestId());
        HttpFault http = fault == null ? HttpFault.NONE : fault.http();
        if (fault != null && delayedFault == null) {
            if (http.dropBefore()) {
                call.drop(null);
                return;
            }
            if (http.delay() != null) {
                delay(call, fault);
                return;
            }
        }
        if (fault != null && fault.replacesAnswer()) {
            call.send(FaultReplies.reply(http));
            return;
        }
        finish(call, answer(call.req, route, fault), http);
    }

    private Reply answer(Request req, Route route, Fault fault) throws IOException {
        if (!route.allowed()) {
            return Reply.json(405, Json.detail("Method Not Allowed"));
        }
        RouteHandler handler = handlers.get(route.operation());
        if (handler == null) {
            return Reply.json(404, Json.detail("Not Found"));
        }
        return handler.handle(req, route, fault);
    }

    /** Sends (or, for a fault, drops) the reply; one not known yet is finished when it is. */
    private void finish(Call call, Reply reply, HttpFault http) throws IOException {
        if (reply.later != null) {
            reply.later.whenComplete((r, e) -> resume(call, () -> {
                if (e != null) {
                    throw new IllegalStateException("A deferred answer failed", e);
                }
                finish(call, r, http);
            }));
            return;
        }
        if (http.dropAfter()) {
            call.drop(reply.requestIdHeader());
            return;
        }
        http.headers().forEach(reply::header);
        call.send(reply);
    }

    /** Waits on the scheduler, then continues on the HTTP pool; no thread is held meanwhile. */
    private void delay(Call call, Fault fault) {
        try {
            scheduler.schedule(() -> resume(call, () -> process(call, fault)), fault.http().delay().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; delayed answer dropped", e);
            call.exchange.close();
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs a step of a call; an error ends the call (with a 500 if nothing was answered yet). */
    private static void guarded(Call call, Step step) {
        try {
            step.run();
        } catch (IOException e) {
            // typically the client went away
            LOG.log(System.Logger.Level.DEBUG, "I/O error answering " + call.req.method() + " " + call.req.path(), e);
            call.exchange.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Simulator error on " + call.req.method() + " " + call.req.path(), e);
            call.failSafe(e);
        }
    }

    /** Goes on with a call on the HTTP pool (from a timer or a completing job). */
    private void resume(Call call, Step step) {
        try {
            httpPool.execute(() -> guarded(call, step));
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "Simulator closing; answer dropped", e);
            call.exchange.close();
        }
    }

    /** One exchange: sends or drops exactly once, journalling first so tests see it before the answer. */
    private final class Call {
        final HttpExchange exchange;
        final Request req;
        final Route route;
        private volatile boolean answered;

        Call(HttpExchange exchange, Request req, Route route) {
            this.exchange = exchange;
            this.req = req;
            this.route = route;
        }

        void send(Reply reply) throws IOException {
            record(reply.status, reply.requestIdHeader());
            answered = true;
            Headers h = exchange.getResponseHeaders();
            reply.headers.forEach(h::set);
            if (reply.stream != null) {
                // the exchange stays open: the stream writes and closes it later
                StreamConnection connection = StreamConnection.open(exchange, reply.status);
                try {
                    reply.stream.open(connection);
                } catch (RuntimeException e) {
                    connection.abort();
                    throw e;
                }
                return;
            }
            exchange.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
            if (reply.body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body);
                }
            }
            exchange.close();
        }

        /** Closes the connection without an answer (closing before the headers went out drops it). */
        void drop(String requestId) {
            record(-1, requestId);
            answered = true;
            exchange.close();
        }

        void failSafe(RuntimeException cause) {
            if (answered) {
                exchange.close();
                return;
            }
            try {
                send(Reply.json(500, Json.requestError("Simulator error: " + cause, "internal_error")));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "Could not send the 500 answer", e);
                exchange.close();
            }
        }

        private void record(int status, String requestId) {
            journal.record(new JournalEntry(req.receivedAt(), route.operation(), req.method(), req.path(), req.query(),
                    req.headers(), req.body(), status, requestId != null ? requestId : route.requestId()));
        }
    }
}
