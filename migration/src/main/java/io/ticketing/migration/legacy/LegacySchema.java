package io.ticketing.migration.legacy;

import io.ticketing.migration.schema.Maintenance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The legacy (Prisma) schema: its DDL as Prisma generated it, its capture triggers, its content hash. */
public final class LegacySchema {

    /** The exact DDL Prisma 6.19.3 generates from the legacy schema.prisma. */
    public static final String DDL_RESOURCE = "/legacy/legacy-schema.sql";
    static final String CAPTURE_TRIGGER = "ticketing_import_capture";
    /** Refuses TRUNCATE of a legacy table while an import holds it: row triggers would not see the rows go. */
    static final String TRUNCATE_GUARD = "ticketing_import_no_truncate";

    private LegacySchema() {
    }

    public static String ddl() {
        return Jdbc.resource(DDL_RESOURCE);
    }

    /** Creates the legacy tables in schema public, as the Prisma app did. */
    public static void create(Connection connection) throws SQLException {
        Jdbc.script(connection, ddl());
    }

    static void requireLegacyTables(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            for (String table : ImportStep.LEGACY_TABLES) {
                if (!Jdbc.exists(connection, "public", table)) {
                    throw new IllegalStateException("legacy table public.\"" + table + "\" not found: is this the legacy database "
                            + "(or were the legacy tables already dropped by `legacy finalize`)?");
                }
            }
        }
    }

    /**
     * The columns of each legacy table as the legacy schema ({@link #DDL_RESOURCE}) has them: every one of them is read,
     * by the import's statements or into a quarantined row's payload.
     */
    static Map<String, List<String>> columns() {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Matcher table = Pattern.compile("CREATE TABLE \"(\\w+)\" \\((.*?)\\n\\);", Pattern.DOTALL).matcher(ddl());
        while (table.find()) {
            columns.put(table.group(1), Pattern.compile("(?m)^\\s+\"(\\w+)\" ").matcher(table.group(2)).results()
                    .map(column -> column.group(1)).toList());
        }
        return columns;
    }

    /**
     * Refuses, before anything is created or changed, a legacy table that lacks a column the import reads or rollback
     * writes (schema drift: a column dropped or renamed), naming each one, rather than failing on the first statement
     * that reads it, halfway through. Extra columns, and types other than the legacy schema's, are the legacy app's own: they stay accepted, but for the
     * few the import reads with functions of their type (a seat list as jsonb, amounts as numbers).
     */
    static void requireLegacyColumns(Connection connection, String command) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> table : columns().entrySet()) {
            for (Map<String, Object> row : Jdbc.query(connection, """
                    SELECT c AS name FROM unnest(?::text[]) WITH ORDINALITY u (c, n)
                     WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attname = u.c
                                          AND a.attnum > 0 AND NOT a.attisdropped)
                     ORDER BY n""", table.getValue().toArray(String[]::new), "public." + Jdbc.quoteIdent(table.getKey()))) {
                missing.add("public." + Jdbc.quoteIdent(table.getKey()) + "." + Jdbc.quoteIdent((String) row.get("name")));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(command + " refused, nothing changed: the legacy tables lack " + String.join(", ", missing)
                    + switch (command) {
                        case "rollback" -> ", which rollback writes the new application's changes back into";
                        case "finalize" -> ", which finalize compares with the new schema before it drops them";
                        default -> ", which the import reads";
                    }
                    + " (the legacy app's schema has " + (missing.size() == 1 ? "it" : "them")
                    + "); add " + (missing.size() == 1 ? "it" : "them") + " back, then run " + command + " again");
        }
        // Other types are the legacy app's own, but these are read with functions of their type: a seat list of type json
        // (Prisma's @db.Json) or an amount stored as text failed on a raw SQL error, some steps in.
        List<String> mistyped = Jdbc.query(connection, """
                SELECT format('public.%I.%I is %s, where %s', w.tbl, w.col, format_type(a.atttypid, a.atttypmod), w.wanted) AS what
                  FROM (VALUES ('Booking', 'seats', 'jsonb', NULL, 'jsonb is read (ALTER TABLE public."Booking" ALTER COLUMN seats TYPE jsonb)'),
                               ('Seat', 'price', NULL, 'N', 'a number is read'),
                               ('Booking', 'totalAmount', NULL, 'N', 'a number is read'),
                               ('PaymentSession', 'amount', NULL, 'N', 'a number is read')) w (tbl, col, type, category, wanted)
                  JOIN pg_attribute a ON a.attrelid = to_regclass(format('public.%I', w.tbl)) AND a.attname = w.col
                                     AND a.attnum > 0 AND NOT a.attisdropped
                  JOIN pg_type t ON t.oid = a.atttypid
                 WHERE t.typname <> coalesce(w.type, t.typname) OR t.typcategory::text <> coalesce(w.category, t.typcategory::text)
                 ORDER BY 1""").stream().map(row -> (String) row.get("what")).toList();
        if (!mistyped.isEmpty()) {
            throw new IllegalStateException(command + " refused, nothing changed: " + String.join("; ", mistyped)
                    + "; convert " + (mistyped.size() == 1 ? "it" : "them") + " to the legacy schema's type, then run "
                    + command + " again");
        }
    }

    /** {@link #requireLegacyColumns} on a connection of its own. */
    static void requireLegacyColumns(DataSource dataSource, String command) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            requireLegacyColumns(connection, command);
        }
    }

    /**
     * What the import needs of its role, checked before it creates anything: to create its two schemas (unless they
     * exist), temporary tables for its batches, to read every legacy table, to put its triggers on them and to lock
     * them at the cut-over (LOCK … IN EXCLUSIVE MODE takes UPDATE); and to own them (or be a member of their owner), since
     * rollback and finalize, which must stay possible, drop what the import adds to them.
     */
    static void requireImportPrivileges(DataSource dataSource) throws SQLException {
        requirePrivileges(dataSource, "import", true, List.of("SELECT", "TRIGGER", "UPDATE"), true);
    }

    /**
     * What {@code verify} reads: every legacy table and every table of the two schemas, and a temporary table of its own;
     * refused up front, naming what is missing, rather than with the first "permission denied".
     */
    static void requireVerifyPrivileges(Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> row : Jdbc.query(connection, """
                SELECT 'TEMPORARY on database ' || current_database() AS what, 0 AS k
                 WHERE NOT has_database_privilege(current_database(), 'TEMPORARY')
                UNION ALL
                SELECT 'USAGE on schema ' || nspname, 1 FROM pg_namespace WHERE nspname IN (?, ?, 'public') AND NOT has_schema_privilege(oid, 'USAGE')
                UNION ALL
                SELECT 'SELECT on ' || c.oid::regclass, 2 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT has_table_privilege(c.oid, 'SELECT')
                   AND (n.nspname IN (?, ?) OR n.nspname = 'public' AND c.relname = ANY (?))
                 ORDER BY 2, 1""", LegacyImporter.TARGET, LegacyImporter.IMPORT_SCHEMA, LegacyImporter.TARGET, LegacyImporter.IMPORT_SCHEMA,
                ImportStep.LEGACY_TABLES.toArray(String[]::new))) {
            missing.add((String) row.get("what"));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("verify refused: role " + Jdbc.single(connection, "SELECT current_user") + " lacks "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                    + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "") + "; run it as the import's role, or grant them");
        }
    }

    /** What {@code plan} needs of its role: temporary tables for its rehearsal, and to read every legacy table. */
    static void requirePlanPrivileges(DataSource dataSource) throws SQLException {
        requirePrivileges(dataSource, "plan", false, List.of("SELECT"), false);
    }

    /**
     * What {@code rollback} and {@code finalize} need of their role, checked before they change anything: to own the
     * legacy tables and the import's schemas (or be a member of their owners), whose triggers, functions and tables
     * they drop.
     */
    static void requireOwnership(Connection connection, String command) throws SQLException {
        List<Map<String, Object>> notOwned = notOwned(connection);
        if (!notOwned.isEmpty()) {
            List<String> owners = notOwned.stream().map(row -> (String) row.get("owner")).distinct().toList();
            throw new IllegalStateException(command + " refused, nothing changed: role " + Jdbc.single(connection, "SELECT current_user")
                    + " does not own " + described(notOwned) + "; run it as " + (owners.size() == 1 ? owners.get(0) : "a role that owns them all")
                    + ", or " + ownershipAdvice(connection, notOwned));
        }
    }

    /** The legacy tables and the import's schemas here that this role neither owns nor inherits from their owner, with the owner. */
    private static List<Map<String, Object>> notOwned(Connection connection) throws SQLException {
        return Jdbc.query(connection, """
                SELECT what, pg_get_userbyid(owner) AS owner, pg_has_role(owner, 'MEMBER') AS member
                  FROM (SELECT format('public.%I', t) AS what, c.relowner AS owner, n AS position
                          FROM unnest(?::text[]) WITH ORDINALITY AS u (t, n)
                          -- by the catalog, not to_regclass: that is "permission denied" without USAGE on the schema
                          JOIN pg_class c ON c.relname = u.t AND c.relnamespace = 'public'::regnamespace
                        UNION ALL
                        SELECT 'schema ' || nspname, nspowner, 100 FROM pg_namespace WHERE nspname IN (?, ?)) o
                 WHERE NOT pg_has_role(owner, 'USAGE')
                 ORDER BY position, what""", ImportStep.LEGACY_TABLES.toArray(String[]::new), LegacyImporter.TARGET,
                LegacyImporter.IMPORT_SCHEMA);
    }

    private static String described(List<Map<String, Object>> notOwned) {
        return notOwned.stream().map(row -> row.get("what") + " (owner " + row.get("owner") + ")").collect(Collectors.joining(", "));
    }

    /**
     * What makes this role an owner of them all: membership of their owners (one or several roles), with their privileges
     * inherited; a member that does not inherit (a NOINHERIT role) needs INHERIT, not another GRANT.
     */
    private static String ownershipAdvice(Connection connection, List<Map<String, Object>> notOwned) throws SQLException {
        String me = (String) Jdbc.single(connection, "SELECT current_user");
        List<String> owners = notOwned.stream().map(row -> (String) row.get("owner")).distinct().toList();
        return notOwned.stream().allMatch(row -> Boolean.TRUE.equals(row.get("member")))
                ? "ALTER ROLE " + me + " INHERIT (a member of " + String.join(" and ", owners) + ", it does not inherit their privileges)"
                : "GRANT " + String.join(", ", owners) + " TO " + me;
    }

    private static void requirePrivileges(DataSource dataSource, String command, boolean createsSchemas, List<String> tablePrivileges,
                                          boolean owns) throws SQLException {

        try (Connection connection = dataSource.getConnection()) {
            List<String> missing = new ArrayList<>();
            Object database = Jdbc.single(connection, "SELECT current_database()");
            boolean schemasExist = Jdbc.schemaExists(connection, LegacyImporter.TARGET) && Jdbc.schemaExists(connection, LegacyImporter.IMPORT_SCHEMA);
            if (createsSchemas && !schemasExist
                    && !Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_database_privilege(current_database(), 'CREATE')"))) {
                missing.add("CREATE on database " + database + " (for schemas " + LegacyImporter.TARGET + " and " + LegacyImporter.IMPORT_SCHEMA + ")");
            }
            if (!Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_database_privilege(current_database(), 'TEMPORARY')"))) {
                missing.add("TEMPORARY on database " + database + " (for the batches' work tables)");
            }
            // Without it, naming a legacy table is itself "permission denied for schema public".
            boolean seesPublic = Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_schema_privilege('public', 'USAGE')"));
            if (!seesPublic) {
                missing.add("USAGE on schema public (the legacy tables' schema)");
            }
            for (String table : seesPublic ? ImportStep.LEGACY_TABLES : List.<String>of()) {
                String relation = "public." + Jdbc.quoteIdent(table);
                for (String privilege : tablePrivileges) {
                    if (!Boolean.TRUE.equals(Jdbc.single(connection, "SELECT has_table_privilege(?, ?)", relation, privilege))) {
                        missing.add(privilege + " on " + relation);
                    }
                }
            }
            List<Map<String, Object>> notOwned = owns ? notOwned(connection) : List.of();
            if (!notOwned.isEmpty()) {
                missing.add("ownership of " + described(notOwned));
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException(command + " refused, nothing changed: role " + Jdbc.single(connection, "SELECT current_user")
                        + " lacks " + String.join(", ", missing) + "; grant them" + (notOwned.isEmpty() ? "" : " (ownership: "
                        + ownershipAdvice(connection, notOwned) + ")") + ", or " + command + " as the legacy tables' owner");
            }
        }
    }

    /** The schemas of an import or of the new application here ("ticketing, ticketing_import"), or null when none. */
    public static String migrationSchemas(Connection connection) throws SQLException {
        return (String) Jdbc.single(connection, "SELECT string_agg(nspname, ', ' ORDER BY nspname) FROM pg_namespace WHERE nspname IN (?, ?)",
                LegacyImporter.TARGET, LegacyImporter.IMPORT_SCHEMA);
    }

    static boolean legacyTablesExist(Connection connection) throws SQLException {
        for (String table : ImportStep.LEGACY_TABLES) {
            if (!Jdbc.exists(connection, "public", table)) {
                return false;
            }
        }
        return true;
    }

    /** The function of the row triggers that log every legacy change into ticketing_import.legacy_change. */
    static void installCaptureFunction(Connection connection) throws SQLException {
        Jdbc.script(connection, """
                CREATE OR REPLACE FUNCTION ticketing_import.capture_legacy_change() RETURNS trigger
                    LANGUAGE plpgsql
                AS $$
                DECLARE
                    r jsonb;
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        r := to_jsonb(OLD);
                        INSERT INTO ticketing_import.legacy_change (table_name, legacy_id, before) VALUES (TG_TABLE_NAME, coalesce(r ->> 'id', r ->> 'A'), r);
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        r := to_jsonb(NEW);
                        INSERT INTO ticketing_import.legacy_change (table_name, legacy_id) VALUES (TG_TABLE_NAME, coalesce(r ->> 'id', r ->> 'A'));
                    END IF;
                    RETURN NULL;
                END
                $$;
                CREATE OR REPLACE FUNCTION ticketing_import.refuse_legacy_truncate() RETURNS trigger
                    LANGUAGE plpgsql
                AS $$
                BEGIN
                    RAISE EXCEPTION 'TRUNCATE of %.% refused: the table is being migrated by `ticketing legacy import`, which would not see the rows go', TG_TABLE_SCHEMA, TG_TABLE_NAME
                        USING ERRCODE = 'object_in_use',
                              HINT = 'delete the rows with DELETE, or run `ticketing legacy rollback` (or `legacy finalize`) first';
                END
                $$""");
    }

    /**
     * The capture trigger of one legacy table (idempotent). CREATE TRIGGER waits for the table's
     * writers to commit; it is taken briefly, in a transaction of its own, so that it never joins
     * a deadlock with a legacy transaction.
     */
    static void installCaptureTrigger(ImportSession session, String table) throws SQLException {
        String relation = "public." + Jdbc.quoteIdent(table);
        if (!hasTrigger(session.connection(), CAPTURE_TRIGGER, relation)) {
            session.lockBriefly("CREATE TRIGGER " + CAPTURE_TRIGGER + " AFTER INSERT OR UPDATE OR DELETE ON " + relation
                    + " FOR EACH ROW EXECUTE FUNCTION ticketing_import.capture_legacy_change()");
        }
        if (!hasTrigger(session.connection(), TRUNCATE_GUARD, relation)) {
            session.lockBriefly("CREATE TRIGGER " + TRUNCATE_GUARD + " BEFORE TRUNCATE ON " + relation
                    + " FOR EACH STATEMENT EXECUTE FUNCTION ticketing_import.refuse_legacy_truncate()");
        }
    }

    private static boolean hasTrigger(Connection connection, String trigger, String relation) throws SQLException {
        return Jdbc.single(connection, "SELECT 1 FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?)", trigger, relation) != null;
    }

    static void dropCaptureTriggers(Connection connection) throws SQLException {
        for (String table : ImportStep.LEGACY_TABLES) {
            if (Jdbc.exists(connection, "public", table)) {
                Jdbc.script(connection, "DROP TRIGGER IF EXISTS " + CAPTURE_TRIGGER + " ON public." + Jdbc.quoteIdent(table));
                Jdbc.script(connection, "DROP TRIGGER IF EXISTS " + TRUNCATE_GUARD + " ON public." + Jdbc.quoteIdent(table));
            }
        }
    }

    /** md5 of each legacy table's rows (all columns), in id order: equal hashes, equal content. */
    public static Map<String, String> contentHashes(Connection connection) throws SQLException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String table : ImportStep.LEGACY_TABLES) {
            hashes.put(table, (String) Jdbc.single(connection, "SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM public."
                    + Jdbc.quoteIdent(table) + " t"));
        }
        return hashes;
    }

    /**
     * A command that writes, refused up front on a read-only session (a standby, or default_transaction_read_only) rather
     * than with its first statement's error. {@code writes}: what it writes, for the operator.
     */
    static void requireWritableSession(Connection connection, String command, String writes) throws SQLException {
        Optional<String> readOnly = Maintenance.readOnly(connection);
        if (readOnly.isPresent()) {
            throw new IllegalStateException(command + " refused: this session is read-only (" + readOnly.get()
                    + "), and " + command + " needs a writable one: " + writes + "; point --db-url at the primary"
                    + (readOnly.get().equals("a standby") ? "" : ", without default_transaction_read_only"));
        }
    }
}
