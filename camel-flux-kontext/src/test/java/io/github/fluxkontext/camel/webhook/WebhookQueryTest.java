package io.github.fluxkontext.camel.webhook;

import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The component's own parameters of a webhook URL: added by producers, read back and scrubbed by consumers. */
class WebhookQueryTest {

    private static final Set<String> OWN = Set.of(WebhookToken.PARAMETER, WebhookMarker.PARAMETER);

    @Test
    void aParameterGoesBeforeTheFragmentEncoded() {
        assertEquals("https://h.example/hook?a=1&p=x%2By#frag", WebhookQuery.withParameter("https://h.example/hook?a=1#frag", "p", "x+y"));
        assertEquals("https://h.example/hook?p=v", WebhookQuery.withParameter("https://h.example/hook", "p", "v"));
    }

    @Test
    void valuesAreReadFromTheQueryDecodedAndInOrder() {
        WebhookQuery query = WebhookQuery.of(request("fluxKontextToken=a%2Db&x=1&fluxKontextToken=c&fluxKontextWaiting"));

        assertEquals(List.of("a-b", "c"), query.values(WebhookToken.PARAMETER));
        assertEquals(List.of(""), query.values(WebhookMarker.PARAMETER));
        assertEquals(List.of(), query.values("absent"));
        assertEquals(List.of(), WebhookQuery.of(request(null)).values(WebhookToken.PARAMETER));
    }

    @Test
    void scrubbingLeavesTheTokenNowhereInTheRequest() {
        Message request = request("next=https://elsewhere.example/?q=1&fluxKontextToken=T0KEN&fluxKontextWaiting=true");
        request.setHeader(Exchange.HTTP_URI, "/fal/webhook?next=https://elsewhere.example/?q=1&fluxKontextToken=T0KEN");
        request.setHeader(Exchange.HTTP_URL, "http://127.0.0.1:8080/fal/webhook?fluxKontextToken=T0KEN");
        request.setHeader(WebhookToken.PARAMETER, "T0KEN");

        WebhookQuery.scrub(request, OWN);

        assertEquals("next=https://elsewhere.example/?q=1", request.getHeader(Exchange.HTTP_QUERY));
        assertEquals("/fal/webhook?next=https://elsewhere.example/?q=1", request.getHeader(Exchange.HTTP_URI));
        assertEquals("http://127.0.0.1:8080/fal/webhook", request.getHeader(Exchange.HTTP_URL));
        assertNull(request.getHeader(WebhookToken.PARAMETER));
        assertTrue(request.getHeaders().values().stream().noneMatch(v -> String.valueOf(v).contains("T0KEN")), request.getHeaders().toString());
        assertFalse(request.getHeaders().containsKey(WebhookMarker.PARAMETER));
    }

    private static Message request(String query) {
        Message message = new DefaultMessage(new DefaultCamelContext());
        if (query != null) {
            message.setHeader(Exchange.HTTP_QUERY, query);
            message.setHeader(Exchange.HTTP_RAW_QUERY, query);
        }
        return message;
    }
}
