package io.ticketing.migration.legacy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the report shows example ids: each one readable as itself in a comma-separated list. */
class ImportReportTest {

    @Test
    void an_id_that_would_not_read_as_itself_is_quoted_with_what_shows_nothing_escaped() {
        assertThat(ImportReport.shown(List.of("c64b6f4d911c3318aee6df889", "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "ps-7")))
                .isEqualTo("c64b6f4d911c3318aee6df889, 3F2504E0-4F89-11D3-9A0C-0305E82C3301, ps-7");
        assertThat(ImportReport.shown(List.of("", " ", "pay session 42", "pay\u200bsession", "a,b", "say \"hi\\\"", "\t\uFEFF")))
                .isEqualTo("\"\", \" \", \"pay session 42\", \"pay\\u200bsession\", \"a,b\", \"say \\\"hi\\\\\\\"\", \"\\u0009\\ufeff\"");
        assertThat(ImportReport.shown(List.of("tag\uDB40\uDC20"))).isEqualTo("\"tag\\u{E0020}\"");
    }

    @Test
    void an_id_longer_than_a_line_is_shown_by_its_start_and_size() {
        assertThat(ImportReport.shown(List.of("x".repeat(65)))).isEqualTo("x".repeat(40) + "… (65 bytes)");
        assertThat(ImportReport.shown(List.of(" ".repeat(65)))).isEqualTo("\"" + " ".repeat(40) + "\"… (65 bytes)");
        assertThat(ImportReport.shown(List.of("x".repeat(64)))).isEqualTo("x".repeat(64));
    }
}
