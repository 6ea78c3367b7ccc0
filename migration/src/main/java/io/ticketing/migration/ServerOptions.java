package io.ticketing.migration;

import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.hostchooser.HostRequirement;
import org.postgresql.jdbc.GSSEncMode;
import org.postgresql.jdbc.SslMode;
import org.postgresql.util.PSQLException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Which PostgreSQL server a command works on: the one set of database options of every command of
 * {@code ticketing}, the application's and {@code legacy …} alike. Inherited by subcommands, so that
 * {@code legacy plan --db-url …} and {@code legacy --db-url … plan} mean the same.
 */
public final class ServerOptions {

    @Option(names = "--db-url", scope = ScopeType.INHERIT, defaultValue = "${env:TICKETING_DB_URL}", paramLabel = "JDBC_URL",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/ticketing (env TICKETING_DB_URL).")
    public String url;

    @Option(names = "--db-user", scope = ScopeType.INHERIT, defaultValue = "${env:TICKETING_DB_USER}", paramLabel = "USER",
            description = "Database user (env TICKETING_DB_USER).")
    public String user;

    @Option(names = "--db-password", scope = ScopeType.INHERIT, defaultValue = "${env:TICKETING_DB_PASSWORD}",
            paramLabel = "PASSWORD", description = "Database password (env TICKETING_DB_PASSWORD).")
    public String password;

    /** Whether a server was named at all. */
    public boolean given() {
        return url != null && !url.isBlank();
    }

    // Behind a transaction-pooling PgBouncer: the one option that says so, and the way around it.

    @Option(names = "--db-pooled", scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true",
            defaultValue = "${env:TICKETING_DB_POOLED:-false}", paramLabel = "true|false",
            description = "--db-url is a connection pooler in transaction mode (PgBouncer): no server-side prepared statements, "
                    + "and the work that keeps session state (migrations, legacy plan and generate, REINDEX CONCURRENTLY) goes to "
                    + "--db-direct-url (env TICKETING_DB_POOLED, default: ${DEFAULT-VALUE}).")
    public boolean pooled;

    @Option(names = "--db-direct-url", scope = ScopeType.INHERIT, defaultValue = "${env:TICKETING_DB_DIRECT_URL}",
            paramLabel = "JDBC_URL", description = "With --db-pooled: the PostgreSQL server itself, bypassing the pooler, "
                    + "same user and password (env TICKETING_DB_DIRECT_URL).")
    public String directUrl;

    /**
     * The URL of work that keeps session state across transactions (a session advisory lock, a temporary table,
     * a {@code SET}), which a transaction pooler cannot keep: {@code --db-url} itself, or with {@code --db-pooled}
     * the direct one; empty when pooled without a direct URL (then {@link #noSessionUrl} says what to do).
     */
    public Optional<String> sessionUrl() {
        if (!pooled) {
            return Optional.ofNullable(url);
        }
        return directUrl == null || directUrl.isBlank() ? Optional.empty() : Optional.of(directUrl);
    }

    /**
     * What makes these options no configuration to connect with, whatever the URL: a user given but empty (an unset
     * variable in a script, say), as which the driver would log in as the operating system's user; a direct URL without
     * {@code --db-pooled}, half a configuration (if {@code --db-url} is the pooler, the application would prepare
     * statements on server connections it does not keep). Empty when consistent.
     */
    public Optional<String> misconfigured() {
        if (user != null && user.isBlank()) {
            return Optional.of("--db-user (env TICKETING_DB_USER) is empty: give the database user, or leave it out for the "
                    + "URL's own (user=…) or the operating system's");
        }
        return !pooled && directUrl != null && !directUrl.isBlank()
                ? Optional.of("--db-direct-url (env TICKETING_DB_DIRECT_URL) is only for a pooled --db-url: add --db-pooled "
                + "(env TICKETING_DB_POOLED=true) if --db-url is a PgBouncer, or drop --db-direct-url")
                : Optional.empty();
    }

    /** A password given in a JDBC URL's parameters ({@code password=}, {@code sslpassword=}). */
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("([?&](?:ssl)?password=)[^&]*", Pattern.CASE_INSENSITIVE);

    /** A JDBC URL as reports, errors and logs show it: a password given in it hidden. */
    public static String shown(String jdbcUrl) {
        return jdbcUrl == null ? null : PASSWORD_IN_URL.matcher(jdbcUrl).replaceAll("$1***");
    }

    /**
     * Why {@code jdbcUrl}, given as {@code option}, is no PostgreSQL JDBC URL the driver can use (another scheme, a port
     * that is no number from 1 to 65535, an unclosed IPv6 bracket, a setting such as sslmode=bogus, …), in words an
     * operator can act on; empty when it is one. The driver itself would answer "No suitable driver" or fail to connect,
     * read as a server that cannot be reached.
     */
    public static Optional<String> malformed(String option, String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            return Optional.of(option + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), got '" + shown(jdbcUrl) + "'");
        }
        Properties parsed = Driver.parseURL(jdbcUrl, null);
        // The driver reads "[::1" as host "[:" and port 1, and then looks that host up.
        if (parsed == null || !Arrays.stream(parsed.getProperty("PGHOST", "").split(",")).allMatch(host -> HOST.matcher(host).matches())) {
            return Optional.of(option + " is not a JDBC URL the PostgreSQL driver can read (jdbc:postgresql://host:port/database, an "
                    + "IPv6 host in brackets, a port from 1 to 65535), got '" + shown(jdbcUrl) + "'");
        }
        return unusableSetting(parsed).map(setting -> option + " sets " + setting + ", got '" + shown(jdbcUrl) + "'");
    }

    /** A host of a JDBC URL: a name or IPv4 address (none: localhost), or an IPv6 address in brackets. */
    private static final Pattern HOST = Pattern.compile("[^\\[\\]:]*|\\[[^\\[\\]]+]");

    /** How the driver reads a setting as it connects, refusing a value it does not know. */
    private interface DriverCheck {
        void check(Properties settings) throws PSQLException;
    }

    /** The settings of a fixed set of values that the driver refuses a connection over, read by its own code. */
    private static final Map<PGProperty, DriverCheck> CHOICES = Map.of(PGProperty.SSL_MODE, SslMode::of, PGProperty.GSS_ENC_MODE,
            GSSEncMode::of, PGProperty.TARGET_SERVER_TYPE,
            settings -> HostRequirement.getTargetServerType(PGProperty.TARGET_SERVER_TYPE.getOrDefault(settings)));

    /**
     * A setting of the URL that the driver refuses as it connects (which reads as a server that cannot be reached) or
     * ignores (a connectTimeout that is no number), named with what it takes; empty when there is none.
     */
    private static Optional<String> unusableSetting(Properties settings) {
        for (var choice : CHOICES.entrySet()) {
            try {
                choice.getValue().check(settings);
            } catch (PSQLException | IllegalArgumentException refused) {
                PGProperty property = choice.getKey();
                return Optional.of(unusable(property.getName() + "=" + property.get(settings), "one of "
                        + String.join(", ", property.getChoices())));
            }
        }
        for (PGProperty property : PGProperty.values()) {
            String value = settings.getProperty(property.getName());
            // The ports, several with several hosts, are the URL's own: parseURL read them.
            if (value != null && property != PGProperty.PG_PORT && property.getChoices() == null && isInt(property.getDefaultValue()) && !isInt(value)) {
                return Optional.of(unusable(property.getName() + "=" + value, "a whole number"));
            }
        }
        return Optional.empty();
    }

    private static String unusable(String setting, String takes) {
        return setting + ", which the PostgreSQL driver cannot use (it takes " + takes + ")";
    }

    private static boolean isInt(String text) {
        try {
            Integer.parseInt(String.valueOf(text));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Why {@code --db-url} (through the pooler) and {@code --db-direct-url} are not one database, if they are not: the
     * migrations, a plan, an import's lock would otherwise go to a database that the rest of the work never sees. One
     * database is one name on one server (its postmaster's start time, which every role may read).
     */
    public static Optional<String> differentDatabases(DataSource pooled, DataSource direct) throws SQLException {
        String viaPooler = identity(pooled);
        String itself = identity(direct);
        return viaPooler.equals(itself) ? Optional.empty() : Optional.of("--db-url and --db-direct-url reach different databases ("
                + viaPooler + "; " + itself + "): --db-direct-url must be the PostgreSQL server behind the pooler, its same database");
    }

    private static String identity(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_database(), pg_postmaster_start_time()")) {
            row.next();
            return "database " + row.getString(1) + " of the server started at " + row.getString(2);
        }
    }

    /** Why {@code work} cannot run when {@link #sessionUrl} is empty, and what to give. */
    public static String noSessionUrl(String work) {
        return work + " keeps session state that a transaction pooler (--db-pooled) cannot keep: give --db-direct-url "
                + "(env TICKETING_DB_DIRECT_URL), the PostgreSQL server itself, e.g. jdbc:postgresql://db:5432/ticketing";
    }
}
