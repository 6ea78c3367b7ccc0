package io.ticketing.migration.legacy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The letters that the database ({@code normal_email}) and this JVM (the application's {@code Customer.accountEmail},
 * {@code toLowerCase(Locale.ROOT)}) lower differently. Each follows the Unicode version it knows (Java 17 Unicode 13, the
 * server's ICU or C library its own): a letter whose case pair only one of them knows, such as U+A7C0, is lowered by that
 * one alone, and a migrated customer whose address holds it would never be found at sign-in. The import quarantines such
 * an address ({@code email_case_apart}), asking the database at the start of each run, for the JVM that runs it.
 */
final class EmailCase {

    /** Every code point this JVM knows as cased: upper or title case, or changed by lowering. */
    private static final int[] CASED = IntStream.rangeClosed(1, Character.MAX_CODE_POINT)
            .filter(cp -> Character.isUpperCase(cp) || Character.isTitleCase(cp) || Character.toLowerCase(cp) != cp).toArray();
    /** Their lower case, as the application makes it (a code point may become two: U+0130). */
    private static final String[] LOWERED = IntStream.of(CASED).mapToObj(cp -> Character.toString(cp).toLowerCase(Locale.ROOT))
            .toArray(String[]::new);

    /** The Java that decides: its major version fixes the Unicode tables it lowers by. */
    static final String JAVA_VERSION = System.getProperty("java.version");

    private EmailCase() {
    }

    /**
     * Installs {@code email_case_apart(t)} in the import schema, after import-support.sql: whether the database lowers the
     * address {@code t} otherwise than this JVM does. Returns a fingerprint of that decision (of the letters it names).
     */
    static String install(Connection connection, String importSchema) throws SQLException {
        String apart;
        if ("UTF8".equals(Jdbc.single(connection, "SELECT current_setting('server_encoding')"))) {
            String letters = bracket(apart(connection, importSchema));
            // An address in ASCII is lowered by the C rules, as the JVM lowers it.
            apart = letters.isEmpty() ? "false" : "octet_length(t) <> length(t) AND t ~ '[" + letters + "]'";
        } else {
            // Here chr() does not take code points, nor can the JVM's letters be sent; and normal_email lowers no letter beyond
            // ASCII in a one-byte encoding: every address beyond ASCII is taken for one.
            apart = "t ~ '[^\\u0001-\\u007f]'";
        }
        Jdbc.script(connection, """
                CREATE OR REPLACE FUNCTION %s.email_case_apart(t text) RETURNS boolean
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE
                AS $$
                    SELECT %s
                $$""".formatted(importSchema, apart));
        return (String) Jdbc.single(connection, "SELECT md5(?)", apart);
    }

    /**
     * Throws unless this run decides ({@code fingerprint}) as the import's first run did ({@code first}, on Java
     * {@code firstJava}): the users copied then were decided by that run, and another decision would reach only the
     * users changed since, so that a letter would be quarantined in some addresses and migrated in others.
     */
    static void requireAsFirstDecided(String fingerprint, String first, String firstJava) {
        if (fingerprint.equals(first)) {
            return;
        }
        String why = ", which decided the emails it quarantines as lowered differently by the database and the application";
        throw new IllegalStateException(major(firstJava).equals(major(JAVA_VERSION))
                ? "this import started when the database lowered emails otherwise than it does now (its ICU or C library changed "
                + "since)" + why + ": run `legacy rollback`, then `legacy import` again"
                : "this import started on Java " + firstJava + why + ", and this Java (" + JAVA_VERSION + ") decides otherwise: "
                + "resume it with Java " + major(firstJava) + ", or run `legacy rollback`, then `legacy import` again");
    }

    private static String major(String javaVersion) {
        return javaVersion.split("[.+-]", 2)[0];
    }

    /**
     * The code points whose lower case by the database ({@code unicode_lower}, in a UTF-8 database) differs from this
     * JVM's: of those the JVM knows as cased, and of those the database changes in planes 0 and 1 (the others hold
     * ideographs, tags and private use: nothing cased). One statement, some 0.1 s.
     */
    static List<Integer> apart(Connection connection, String importSchema) throws SQLException {
        return Jdbc.query(connection, """
                WITH java (cp, lowered) AS (SELECT * FROM unnest(?::int[], ?::text[]))
                SELECT cp FROM (SELECT cp FROM generate_series(1, 131071) cp WHERE cp NOT BETWEEN 55296 AND 57343
                                UNION SELECT cp FROM java) c
                  LEFT JOIN java USING (cp)
                 WHERE %s.unicode_lower(chr(cp)) <> coalesce(java.lowered, chr(cp))
                 ORDER BY cp""".formatted(importSchema), CASED, LOWERED).stream().map(row -> (Integer) row.get("cp")).toList();
    }

    /** The inside of a regular expression's brackets matching {@code codePoints} (ascending), runs as ranges. */
    private static String bracket(List<Integer> codePoints) {
        StringBuilder bracket = new StringBuilder();
        for (int k = 0; k < codePoints.size(); k++) {
            int first = codePoints.get(k);
            while (k + 1 < codePoints.size() && codePoints.get(k + 1) == codePoints.get(k) + 1) {
                k++;
            }
            bracket.append(escape(first));
            if (codePoints.get(k) != first) {
                bracket.append('-').append(escape(codePoints.get(k)));
            }
        }
        return bracket.toString();
    }

    private static String escape(int cp) {
        return cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp);
    }
}
