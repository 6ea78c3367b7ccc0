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
 * and tokens for the running server. A server on a real database must be given its secrets.
 */
final class DevSecrets {

    private DevSecrets() {
    }

    static String load(Path dataDirectory, String name) {
        Path file = dataDirectory.toAbsolutePath().resolveSibling(dataDirectory.getFileName() + "-" + name);
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
}
