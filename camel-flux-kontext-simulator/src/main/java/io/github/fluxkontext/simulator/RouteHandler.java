package io.github.fluxkontext.simulator;

import java.io.IOException;

/** Answers one kind of route. Handlers return a {@link Reply}; the router sends it (or drops it for a fault). */
interface RouteHandler {
    Reply handle(Request req, Route route) throws IOException;
}
