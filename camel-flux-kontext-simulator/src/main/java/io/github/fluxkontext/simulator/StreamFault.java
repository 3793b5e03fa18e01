package io.github.fluxkontext.simulator;

/**
 * What an injected fault does to a status stream ({@code Fault.on(STATUS_STREAM)}).
 *
 * @param kind   the misbehaviour
 * @param events for {@link Kind#BREAK}: how many events go out before the connection breaks
 */
record StreamFault(Kind kind, int events) {

    enum Kind {
        /** 200 with the status as {@code application/json}, as a server that does not stream. */
        NOT_EVENT_STREAM,
        /** {@code events} events, then the connection is closed abruptly, never with COMPLETED. */
        BREAK,
        /** Headers, then nothing at all: no events, no pings. */
        SILENT
    }
}
