package io.ticketing.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets for a local run on the embedded database, when none is configured: made once and kept
 * beside the data (readable by this user only), so that `ticketing dev …` commands can sign webhooks
 * and tokens for the running server (they only read them). A server on a real database must be given its secrets.
 */
final class DevSecrets {

    private DevSecrets() {
    }

    static String load(Path dataDirectory, String name) {
        Path file = file(dataDirectory, name);
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the file stays with the user's default permissions
                }
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliException("cannot keep the development " + name + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The secret a local server on the embedded database keeps beside {@code dataDirectory}, for the `dev` commands,
     * which sign for a server and so never make one: a secret no server holds would sign what it refuses (401). None
     * there (the server runs on another database, or elsewhere): a usage error that says which option to give.
     */
    static String existing(Path dataDirectory, String name, String variable) {
        Path file = file(dataDirectory, name);
        if (!Files.isRegularFile(file)) {
            throw new CliException("no " + name.replace('-', ' ') + ": give --secret (or set " + variable + ") to the server's;"
                    + " only a local server on the embedded database keeps one, and there is none at " + file, CliException.USAGE, null);
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliException("cannot read the development " + name + " in " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path file(Path dataDirectory, String name) {
        return dataDirectory.toAbsolutePath().resolveSibling(dataDirectory.getFileName() + "-" + name);
    }
}
