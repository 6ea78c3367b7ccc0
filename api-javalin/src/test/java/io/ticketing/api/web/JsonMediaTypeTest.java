package io.ticketing.api.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonMediaTypeTest {

    @Test
    void application_json_in_utf_8_is_json_however_it_is_spelled() {
        for (String type : List.of("application/json", "APPLICATION/JSON", "application/json;charset=UTF-8", "application/json; charset=utf-8",
                "application/json; charset=\"utf-8\"", "application/json ; CHARSET = utf-8".replace(" = ", "="), "application/json;",
                "application/json; charset=\"utf\\-8\"")) {
            assertThat(JsonMediaType.accepts(List.of(type))).as(type).isTrue();
        }
    }

    @Test
    void a_prefix_another_parameter_a_second_charset_or_a_second_header_is_not() {
        for (String type : List.of("", "application/jsonfoo", "application/json-patch+json", "application/json/text", "application/json+xml",
                "application/json, text/plain", "application/json; charset=utf-8; charset=latin1", "application/json; charset=utf-8; charset=utf-8",
                "application/json; charset=latin1", "application/json; charset=", "application/json; charset=\"utf-8", "application/json; q=1",
                "application/json charset=utf-8", "text/plain", "application/*", "*/*")) {
            assertThat(JsonMediaType.accepts(List.of(type))).as(type).isFalse();
        }
        assertThat(JsonMediaType.accepts(List.of())).as("none").isFalse();
        assertThat(JsonMediaType.accepts(List.of("application/json", "application/json"))).as("twice").isFalse();
    }
}
