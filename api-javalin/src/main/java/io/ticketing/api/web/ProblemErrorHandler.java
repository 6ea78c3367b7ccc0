package io.ticketing.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ticketing.api.web.problem.Problem;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The answers Jetty gives itself, before a request reaches a route (a URI it refuses, a bad header,
 * bad encoding): problem+json with a request id, like every other refusal, instead of its HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private final ObjectMapper json;

    ProblemErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    /** Every method gets its problem+json: Jetty's own page is for GET, POST and HEAD only, the rest got an empty body. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        response.write(true, body(code, headers), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        return body(status, fields);
    }

    private ByteBuffer body(int status, HttpFields.Mutable headers) {
        headers.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        headers.put(RequestIds.HEADER, UUID.randomUUID().toString());
        Problem problem = Problem.ofHttpStatus(status,
                "The server refused the request before reading it: check its URI, its headers and their encoding.");
        try {
            return ByteBuffer.wrap(json.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
