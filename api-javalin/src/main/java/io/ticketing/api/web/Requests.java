package io.ticketing.api.web;

import io.ticketing.api.web.problem.ApiException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;

import io.ticketing.domain.model.SeatId;
import io.ticketing.domain.model.Uuids;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Typed reading of path, query and body values; anything malformed is a 400 that says what is wrong. */
final class Requests {

    static final int MAX_PAGE_SIZE = 100;

    private final ObjectMapper json;

    Requests(ObjectMapper json) {
        this.json = json;
    }

    static UUID id(Context ctx, String name) {
        String value = ctx.pathParam(name);
        UUID id = Uuids.exact(value);
        if (id == null) {
            throw ApiException.of(400, "invalid-id", "'" + value + "' is not a valid " + name + " (a UUID).");
        }
        return id;
    }

    static List<SeatId> seatIds(List<UUID> ids) {
        if (ids == null || ids.isEmpty()) {
            throw ApiException.of(400, "invalid-value", "seatIds must list at least one seat.");
        }
        return ids.stream().map(SeatId::new).toList();
    }

    /**
     * A query parameter's one value, or null when it is absent. Given twice, which one counts would be a guess
     * (a server, a proxy and a cache may each take another): refused.
     */
    static String query(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.of(400, "invalid-value", "'" + name + "' is given " + values.size() + " times; give it once.");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    static int limit(Context ctx, int fallback) {
        return limit(ctx, fallback, MAX_PAGE_SIZE);
    }

    /** The page size asked for, from 1 to {@code max}; {@code fallback} when not given. */
    static int limit(Context ctx, int fallback, int max) {
        String value = query(ctx, "limit");
        if (value == null) {
            return fallback;
        }
        // ASCII digits only: Integer.parseInt also reads other scripts' digits ("５").
        if (value.matches("[0-9]{1,9}")) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        }
        throw ApiException.of(400, "invalid-limit", "limit must be a whole number from 1 to " + max + ".");
    }

    /** A whole-number page cursor (the nextBefore of the previous page), if given. */
    static Long optionalNumberCursor(Context ctx, String name) {
        String value = query(ctx, name);
        if (value == null) {
            return null;
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw ApiException.of(400, "invalid-cursor", name + " must be the nextBefore of the previous page.");
        }
        return Long.parseLong(value);
    }

    /**
     * A yes/no query parameter: absent is false; anything but true or false is a 400, not a silent false. Empty
     * ("?refresh=") too, as an empty limit, cursor or id is: it says neither.
     */
    static boolean flag(Context ctx, String name) {
        String value = query(ctx, name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.of(400, "invalid-value", name + " must be true or false, not '" + value + "'.");
    }

    /** An id to filter by, if given: a malformed one is invalid-id, as in a path or a body. */
    static UUID optionalUuidQuery(Context ctx, String name) {
        return optionalUuid(ctx, name, "invalid-id", "'%s' is not a valid " + name + " (a UUID).");
    }

    /** A page cursor (the id of the last item of the previous page), if given. */
    static UUID optionalCursor(Context ctx, String name) {
        String next = "next" + Character.toUpperCase(name.charAt(0)) + name.substring(1); // after: nextAfter
        return optionalUuid(ctx, name, "invalid-cursor", "'%s' is not a valid " + name + ": pass the " + next + " of the previous page.");
    }

    private static UUID optionalUuid(Context ctx, String name, String code, String detail) {
        String value = query(ctx, name);
        if (value == null) {
            return null;
        }
        UUID id = Uuids.exact(value);
        if (id == null) {
            throw ApiException.of(400, code, detail.formatted(value));
        }
        return id;
    }

    private static String fieldOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "The body" : "'" + path + "'";
    }

    /** What a client should send, in the words of the API rather than of Java. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == java.time.Instant.class) {
            return "a date-time in ISO 8601, e.g. 2030-01-01T20:00:00Z";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == java.math.BigDecimal.class || type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a JSON object";
    }

    /**
     * What a write was sent, checked before anything runs, whether or not its handler reads a body: none, or
     * JSON in UTF-8 as {@link #body} reads it (415, 413, 400 malformed-body otherwise). So a write that takes no
     * body (DELETE /events/{id}, POST …/publish) is not answered as if it had read one that is not JSON, nor
     * ignores the fields it was sent ({@code takesBody} false: none, or {}).
     */
    void checkSentBody(Context ctx, boolean takesBody) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0 || declared < 0 && ctx.header("Transfer-Encoding") == null) {
            return;
        }
        byte[] body = jsonBody(ctx);
        JsonNode document;
        try {
            document = json.readTree(body); // the document only: the handler that reads the body reads it as its type
        } catch (JacksonException e) {
            throw notJson(e);
        } catch (java.io.IOException e) {
            throw unreadable();
        }
        // A write that takes no body takes none, or the empty object that some clients always send: a field would be ignored.
        if (!takesBody && document != null && !document.isMissingNode() && !(document.isObject() && document.isEmpty())) {
            throw document.isObject()
                    ? ApiException.of(400, "unknown-field", "Unknown field '" + document.fieldNames().next() + "': this request takes no body.")
                    : ApiException.of(400, "malformed-body", "This request takes no body: send none, or {}.");
        }
    }

    /**
     * The body, once the request says, in one Content-Type header, that it is JSON in UTF-8 ({@link JsonMediaType}),
     * declares no more than a body may be, and is strict UTF-8.
     */
    private static byte[] jsonBody(Context ctx) {
        // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read as something it is not.
        if (!JsonMediaType.accepts(java.util.Collections.list(ctx.req().getHeaders("Content-Type")))) {
            throw ApiException.of(415, "unsupported-media-type", "Send the body as application/json in UTF-8.");
        }
        if (ctx.req().getContentLengthLong() > ApiApplication.MAX_REQUEST_BYTES) {
            // answered on the header alone: reading first would wait for a body that may never come
            throw ApiException.of(413, "request-too-large", "The body is declared at " + ctx.req().getContentLengthLong()
                    + " bytes; bodies are limited to " + ApiApplication.MAX_REQUEST_BYTES / 1024 + " KiB.");
        }
        byte[] body = RequestBodies.read(ctx);
        if (!StrictJson.isUtf8(body)) {
            throw ApiException.of(400, "malformed-body", "The body is not valid UTF-8: send JSON in UTF-8.");
        }
        return body;
    }

    <T> T body(Context ctx, Class<T> type) {
        byte[] body = jsonBody(ctx);
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw ApiException.of(400, "malformed-body", "The body is empty; a JSON object is expected.");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ApiException.of(400, "malformed-body", "The body is null; a JSON object is expected.");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.of(400, "unknown-field", "Unknown field '" + e.getPropertyName() + "'.");
        } catch (StrictJson.UnholdableValue e) {
            throw ApiException.of(400, "invalid-value", fieldOf(e) + " " + e.getOriginalMessage() + ".");
        } catch (InvalidNullException e) {
            throw ApiException.of(400, "invalid-value", fieldOf(e) + " must not be null.");
        } catch (MismatchedInputException e) {
            // A malformed id is invalid-id wherever it is sent: path, query or body; an id of another JSON type (a number,
            // a list) is a body of another shape, as a number for a text is.
            throw ApiException.of(400, e instanceof InvalidFormatException && e.getTargetType() == UUID.class ? "invalid-id" : "malformed-body",
                    fieldOf(e) + " must be " + expected(e.getTargetType()) + ".");
        } catch (JacksonException e) {
            throw notJson(e);
        } catch (java.io.IOException e) {
            throw unreadable();
        }
    }

    private static ApiException notJson(JacksonException e) {
        if (e instanceof InputCoercionException || e.getCause() instanceof InputCoercionException) {
            // a number past what its field holds (an int's 2^31 - 1, a long's 2^63 - 1): valid JSON, an invalid value
            String field = e instanceof JsonMappingException mapping ? fieldOf(mapping) : "A number";
            return ApiException.of(400, "invalid-value", field + " is out of range.");
        }
        var location = e.getLocation();
        return ApiException.of(400, "malformed-body", "The body is not valid JSON"
                + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")") + ".");
    }

    private static ApiException unreadable() {
        return ApiException.of(400, "malformed-body", "The body could not be read.");
    }
}
