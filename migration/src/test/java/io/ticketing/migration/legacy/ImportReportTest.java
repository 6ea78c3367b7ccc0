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
    void an_id_longer_than_a_line_is_shown_by_its_start_its_end_its_size_and_the_digest_the_quarantine_finds_it_by() {
        assertThat(ImportReport.shown(List.of("x".repeat(65)))).isEqualTo("x".repeat(24) + "…" + "x".repeat(24) + " (65 bytes; md5 1bc93205)"); // md5sum's
        assertThat(ImportReport.shown(List.of(" ".repeat(65)))).startsWith("\"" + " ".repeat(24) + "\"…\"" + " ".repeat(24) + "\" (65 bytes; md5 ");
        assertThat(ImportReport.shown(List.of("x".repeat(64)))).isEqualTo("x".repeat(64));
        // A checkout/seat pair keeps its seat; ids that differ only inside still read as different ids.
        String checkout = "cs" + "0".repeat(1000);
        assertThat(ImportReport.shown(List.of(checkout + "/seat-7"))).startsWith("cs" + "0".repeat(22) + "…" + "0".repeat(17) + "/seat-7 (1009 bytes; md5 ");
        List<String> alike = List.of("a".repeat(100) + "1" + "b".repeat(100), "a".repeat(100) + "2" + "b".repeat(100));
        assertThat(ImportReport.shown(alike).split(", ")).doesNotHaveDuplicates().hasSize(2);
    }
}
