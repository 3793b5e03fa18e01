package io.github.fluxkontext.camel.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status stream's reader: how bytes, however they are cut into reads, become fal's status events. */
class ServerSentEventsTest {

    private static final String TWO_EVENTS = "data: {\"status\":\"IN_QUEUE\",\"queue_position\":3}\n\n"
            + ": ping\n\n"
            + "event: message\nid: 7\ndata: {\"status\":\"COMPLETED\"}\n\n";

    private final List<String> events = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    @Test
    void eachEventIsDeliveredOnceWhereverTheReadsCutTheBytes() throws Exception {
        byte[] bytes = TWO_EVENTS.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            events.clear();
            ServerSentEvents reader = opened(1024);
            reader.consume(ByteBuffer.wrap(bytes, 0, cut));
            reader.consume(ByteBuffer.wrap(bytes, cut, bytes.length - cut));
            assertEquals(List.of("{\"status\":\"IN_QUEUE\",\"queue_position\":3}", "{\"status\":\"COMPLETED\"}"), events,
                    "cut at byte " + cut);
        }
    }

    @Test
    void crLfAndCrEndLinesAsLfDoes() throws Exception {
        ServerSentEvents reader = opened(1024);
        reader.consume(utf8("data: a\r\n\r\ndata: b\r\rdata: c\r"));
        reader.consume(utf8("\n\r\n"));
        assertEquals(List.of("a", "b", "c"), events);
    }

    @Test
    void anEventOfSeveralDataLinesIsJoinedWithNewlines() throws Exception {
        ServerSentEvents reader = opened(1024);
        reader.consume(utf8("data: {\"status\":\ndata:\"COMPLETED\"}\n\n"));
        assertEquals(List.of("{\"status\":\n\"COMPLETED\"}"), events);
    }

    @Test
    void commentsAndEmptyEventsAreOnlySignsOfLife() throws Exception {
        ServerSentEvents reader = opened(1024);
        reader.consume(utf8(": ping\n\n\n\nretry: 100\n\n"));
        assertEquals(List.of(), events);
    }

    @Test
    void aLineLongerThanTheLimitBreaksTheStream() throws Exception {
        ServerSentEvents reader = opened(16);
        IOException error = assertThrows(IOException.class, () -> reader.consume(utf8("data: " + "x".repeat(32))));
        assertTrue(error.getMessage().contains("longer than 16 bytes"), error.getMessage());
    }

    @Test
    void anEventLongerThanTheLimitBreaksTheStream() throws Exception {
        ServerSentEvents reader = opened(16);
        reader.consume(utf8("data: 0123456789\n"));
        IOException error = assertThrows(IOException.class, () -> reader.consume(utf8("data: 0123456789\n")));
        assertTrue(error.getMessage().contains("event is longer than 16 bytes"), error.getMessage());
        assertEquals(List.of(), events);
    }

    @Test
    void anAnswerThatIsNoEventStreamIsRefusedWithWhy() throws Exception {
        ServerSentEvents reader = new ServerSentEvents(1024, this::event, refusals::add);
        reader.consumeResponse(new BasicHttpResponse(200), new BasicEntityDetails(-1, ContentType.APPLICATION_JSON),
                null, callback());
        reader.consume(utf8("data: {\"status\":\"COMPLETED\"}\n\n"));
        assertEquals(List.of("HTTP 200 with Content-Type application/json; charset=UTF-8, not text/event-stream"),
                refusals);
        assertEquals(List.of(), events, "a refused answer is not read");
    }

    @Test
    void anErrorStatusIsRefused() throws Exception {
        ServerSentEvents reader = new ServerSentEvents(1024, this::event, refusals::add);
        reader.consumeResponse(new BasicHttpResponse(405), new BasicEntityDetails(-1, ContentType.TEXT_PLAIN),
                null, callback());
        assertEquals(List.of("HTTP 405"), refusals);
    }

    private ServerSentEvents opened(long maxEventBytes) throws Exception {
        ServerSentEvents reader = new ServerSentEvents(maxEventBytes, this::event, refusals::add);
        reader.consumeResponse(new BasicHttpResponse(200),
                new BasicEntityDetails(-1, ContentType.create("text/event-stream", StandardCharsets.UTF_8)), null,
                callback());
        assertEquals(List.of(), refusals);
        return reader;
    }

    private void event(byte[] data) {
        events.add(new String(data, StandardCharsets.UTF_8));
    }

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static FutureCallback<Void> callback() {
        return new FutureCallback<>() {
            @Override
            public void completed(Void result) {
                // the tests read what the reader delivered, not its end
            }

            @Override
            public void failed(Exception ex) {
                throw new AssertionError(ex);
            }

            @Override
            public void cancelled() {
                throw new AssertionError("cancelled");
            }
        };
    }
}
