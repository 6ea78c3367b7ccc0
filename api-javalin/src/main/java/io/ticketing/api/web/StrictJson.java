package io.ticketing.api.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import io.ticketing.api.web.text.StorableText;
import io.ticketing.domain.model.Uuids;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The API's JSON: bodies are read strictly, so that a value the database cannot hold is refused
 * here as a 400 naming the field, never a 500 from PostgreSQL, and nothing is silently coerced
 * (no string read as a number nor a number as text, no fraction cut to an integer, no number read
 * as a date, no id trimmed, no null inside a list, nothing after the document, no key twice).
 */
final class StrictJson {

    /** Years PostgreSQL and ISO 8601's four digits both hold. */
    static final int MIN_YEAR = 1;
    static final int MAX_YEAR = 9999;

    private StrictJson() {
    }

    static ObjectMapper mapper() {
        SimpleModule strict = new SimpleModule("strict-values")
                .addDeserializer(String.class, new StorableString())
                .addDeserializer(UUID.class, new ExactUuid())
                .addDeserializer(Instant.class, new IsoInstant());
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(strict)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // one JSON document, each key once: what follows it, or a key given twice, is no guess to make
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // [null] in a list of seat blocks, rows or ids: refused, not a NullPointerException later
                .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
                .build();
    }

    /**
     * Whether {@code body} is strict UTF-8 without a NUL byte. Jackson guesses UTF-16 and UTF-32 from a body's
     * first bytes, and reads an overlong form (C0 80 for a NUL) as the character it spells; JSON in UTF-8 never
     * holds a NUL byte, which UTF-16 and UTF-32 (of JSON's ASCII punctuation) always do.
     */
    static boolean isUtf8(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A well-formed value the API cannot hold (its message says why): 400 invalid-value, not malformed-body. */
    static final class UnholdableValue extends InvalidFormatException {
        UnholdableValue(JsonParser p, String why, Object value, Class<?> type) {
            super(p, why, value, type);
        }
    }

    /** A string PostgreSQL can store ({@link StorableText}). */
    private static final class StorableString extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                // a number or a boolean where text is expected: not turned into "70" or "true"
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            String text = super.deserialize(p, ctxt);
            String problem = text == null ? null : StorableText.problem(text);
            if (problem != null) {
                throw new UnholdableValue(p, problem, text, String.class);
            }
            return text;
        }
    }

    /**
     * A UUID as written, 36 characters, in a body ({@link Uuids#exact}): Jackson's own reader trims spaces and
     * control characters first.
     */
    private static final class ExactUuid extends JsonDeserializer<UUID> {
        @Override
        public UUID deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (UUID) ctxt.handleUnexpectedToken(UUID.class, p);
            }
            String text = p.getText();
            UUID id = Uuids.exact(text);
            if (id != null) {
                return id;
            }
            throw InvalidFormatException.from(p, "must be a UUID", text, UUID.class);
        }
    }

    /** An ISO 8601 date-time string within years 1 to 9999; a number is not read as seconds since 1970. */
    private static final class IsoInstant extends JsonDeserializer<Instant> {

        /** The seconds of a time of day written as 60. */
        private static final Pattern LEAP_SECOND = Pattern.compile("[Tt]\\d{2}:\\d{2}:60");
        /** A year of five digits or more, written with no sign ("10000-01-01T…"), which the parser refuses as malformed. */
        private static final Pattern FIVE_DIGIT_YEAR = Pattern.compile("^\\d{5,}-");
        /** The hour 24 (ISO 8601's end of the day), which Java reads as the next day's 00:00. */
        private static final Pattern END_OF_DAY = Pattern.compile("[Tt]24:");

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            if (!p.getText().equals(p.getText().strip()) || FIVE_DIGIT_YEAR.matcher(p.getText()).find()
                    || END_OF_DAY.matcher(p.getText()).find()) {
                // spaces around it (a date-time taken trimmed is not what was sent), a year past 9999, 24:00 (the next day)
                throw new UnholdableValue(p, "must be an ISO 8601 date-time of the years " + MIN_YEAR + " to " + MAX_YEAR
                        + ", without spaces around it and with hours below 24", p.getText(), Instant.class);
            }
            if (LEAP_SECOND.matcher(p.getText()).find()) {
                // Java reads 23:59:60 as 23:59:59 and would store a second that was not sent
                throw new UnholdableValue(p, "must not be a leap second (:60): none is kept", p.getText(), Instant.class);
            }
            Instant instant = InstantDeserializer.INSTANT.deserialize(p, ctxt);
            if (instant != null && instant.getNano() % 1_000 != 0) {
                // PostgreSQL rounds to the microsecond: what it kept would not be what was sent, nor what the answer said
                throw new UnholdableValue(p, "must not be finer than a microsecond (6 decimals of a second)", p.getText(), Instant.class);
            }
            if (instant != null) {
                int year = instant.atOffset(ZoneOffset.UTC).getYear();
                if (year < MIN_YEAR || year > MAX_YEAR) {
                    throw new UnholdableValue(p, "must be within the years " + MIN_YEAR + " to " + MAX_YEAR, p.getText(), Instant.class);
                }
            }
            return instant;
        }
    }
}
