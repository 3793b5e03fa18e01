package io.github.fluxkontext.simulator;

import java.io.IOException;

/** Answers one kind of route. Handlers return a {@link Reply}; the router sends it (or drops it for a fault). */
interface RouteHandler {
    Reply handle(Request req, Route route) throws IOException;

    /** With the fault that fired for this request, for handlers whose answer it changes (status streams). */
    default Reply handle(Request req, Route route, Fault fault) throws IOException {
        return handle(req, route);
    }
}
