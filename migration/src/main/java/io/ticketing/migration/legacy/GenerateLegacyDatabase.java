package io.ticketing.migration.legacy;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Creates the legacy tables in an empty database and fills them with generated dirty data, to
 * rehearse a migration: {@code java -cp … io.ticketing.migration.legacy.GenerateLegacyDatabase
 * <jdbc-url> [seats] [seed]} (user and password from TICKETING_DB_USER / TICKETING_DB_PASSWORD).
 */
public final class GenerateLegacyDatabase {

    private GenerateLegacyDatabase() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GenerateLegacyDatabase <jdbc-url> [seats, default 10000] [seed, default 1]");
            System.exit(2);
        }
        int seats = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        try (Connection connection = DriverManager.getConnection(args[0], System.getenv("TICKETING_DB_USER"), System.getenv("TICKETING_DB_PASSWORD"))) {
            long started = System.nanoTime();
            LegacySchema.create(connection);
            LegacyDataGenerator.Planted planted = LegacyDataGenerator.generate(connection, seats, seed);
            System.out.printf("legacy database generated in %.1f s; planted:%n", (System.nanoTime() - started) / 1e9);
            planted.anomalies().forEach((kind, n) -> System.out.printf("  %-55s %8d%n", kind, n));
        }
    }
}
