package io.ticketing.migration.legacy;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The import's SQL functions apply the rules documented in Java terms: ids, statuses. */
class ImportFunctionsTest {

    private static final Pattern CANONICAL_UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A canonical UUID stays itself; anything else is the name-based UUID of 'ticketing-legacy:kind:id'. */
    private static UUID expected(String kind, String legacyId) {
        return CANONICAL_UUID.matcher(legacyId).matches() ? UUID.fromString(legacyId)
                : UUID.nameUUIDFromBytes(("ticketing-legacy:" + kind + ":" + legacyId).getBytes(StandardCharsets.UTF_8));
    }

    /** A connection whose pg_temp holds the import's functions (as `legacy plan` has them). */
    private static Connection supportFunctions() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        Connection connection = database.connect();
        LegacySchema.create(connection);
        connection.setAutoCommit(false);
        ImportSession.installSupport(connection, "pg_temp");
        return connection;
    }

    @Test
    void legacy_uuid_keeps_canonical_uuids_and_derives_java_name_based_uuids_from_anything_else() throws Exception {
        List<String> ids = List.of("0b6f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b", "0B6F2A8E-3C1D-4E5F-8A9B-0C1D2E3F4A5B",
                "ckx8k2l0v0000qz0h3b4c5d6e", "0b6f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b ", "0b6f2a8e3c1d-4e5f-8a9b-0c1d2e3f4a5b-",
                "-b6f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b", "0b6f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4a5-", "0b6f2a8e_3c1d-4e5f-8a9b-0c1d2e3f4a5b",
                "0b6f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4a5g", "0b6f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b\n", "0b6f2a8e-3c1d-4e5f-8a9b-0c1d2e3f4aé",
                "", "x", "séance-42");
        try (Connection connection = supportFunctions()) {
            for (String kind : List.of("user", "seat", "booking")) {
                for (String id : ids) {
                    assertThat(Jdbc.single(connection, "SELECT pg_temp.legacy_uuid(?, ?)", kind, id)).as(kind + ":" + id)
                            .isEqualTo(expected(kind, id));
                    assertThat(Jdbc.single(connection, "SELECT pg_temp.is_uuid(?)", id)).as(id)
                            .isEqualTo(CANONICAL_UUID.matcher(id).matches());
                }
            }
            // Every value of the version and variant digits comes up among a few hundred names.
            for (int n = 1; n <= 200; n++) {
                assertThat(Jdbc.single(connection, "SELECT pg_temp.legacy_uuid('ticket', ?)", "c" + n)).isEqualTo(expected("ticket", "c" + n));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(StatusVocabulary.class)
    void map_status_reads_every_spelling_as_the_vocabulary_does(StatusVocabulary vocabulary) throws Exception {
        List<String> spellings = new ArrayList<>();
        vocabulary.words().keySet().forEach(word -> spellings.addAll(List.of(word, word.toUpperCase(Locale.ROOT), " " + word + "\t",
                word.replace('_', ' '), word.replace('_', '-'), word.toUpperCase(Locale.ROOT).replace("_", " - "))));
        spellings.addAll(List.of("", " ", "unknown", "pending!", "PEND ING"));
        try (Connection connection = supportFunctions()) {
            for (String spelling : spellings) {
                assertThat(Jdbc.single(connection, "SELECT pg_temp.map_status(?, ?)", vocabulary.kind(), spelling))
                        .as(spelling).isEqualTo(vocabulary.map(spelling).orElse(null));
            }
            assertThat(Jdbc.single(connection, "SELECT pg_temp.map_status(?, NULL)", vocabulary.kind())).isNull();
        }
    }
}
