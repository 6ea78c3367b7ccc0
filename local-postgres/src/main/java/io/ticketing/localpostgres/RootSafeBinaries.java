package io.ticketing.localpostgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * PostgreSQL refuses to start as root, yet CI machines and containers often build as root. This
 * resolver hands zonky the usual binaries with {@code initdb} and {@code pg_ctl} wrapped in a small
 * script that, when called by root, gives the data directory to an unprivileged user and runs the
 * real program as that user ({@code setpriv}). The repacked archive is cached next to zonky's own
 * extraction, so the cost is paid once per machine.
 */
final class RootSafeBinaries implements PgBinaryResolver {

    static final String UNPRIVILEGED_USER = "nobody";
    private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl");
    private static final String WRAPPER = """
            #!/bin/sh
            # Added by ticketing's LocalPostgres: PostgreSQL refuses to run as root, so as root
            # run the real program as an unprivileged user that owns the data directory. It keeps
            # one capability, to search folders, so that the data directory may lie below a folder
            # only root can enter (a home directory, a mktemp folder).
            real="$0.real"
            [ "$(id -u)" = 0 ] || exec "$real" "$@"
            user=%s
            data=""
            previous=""
            for argument in "$@"; do
              [ "$previous" = "-D" ] && data="$argument"
              previous="$argument"
            done
            if [ -n "$data" ]; then
              chown -R "$user:$(id -g "$user")" "$data" && chmod 700 "$data" || exit 1
            fi
            exec setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups \\
              --inh-caps=+dac_read_search --ambient-caps=+dac_read_search "$real" "$@"
            """.formatted(UNPRIVILEGED_USER);

    private final Path cacheDirectory;

    RootSafeBinaries(Path cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    static boolean runningAsRoot() {
        return System.getProperty("os.name", "").startsWith("Linux")
                && "root".equals(System.getProperty("user.name"));
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        byte[] original;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
            original = in.readAllBytes();
        }
        Path repacked = cacheDirectory.resolve("root-safe-" + md5(original) + ".txz");
        if (!Files.exists(repacked)) {
            Files.createDirectories(cacheDirectory);
            Path partial = Files.createTempFile(cacheDirectory, "root-safe-", ".partial");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                repack(new java.io.ByteArrayInputStream(original), out);
            }
            Files.move(partial, repacked, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new BufferedInputStream(Files.newInputStream(repacked));
    }

    private static void repack(InputStream txz, OutputStream out) throws IOException {
        try (var tarIn = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(txz)));
             var tarOut = new TarArchiveOutputStream(new XZOutputStream(out, new LZMA2Options(1)))) {
            tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry entry;
            while ((entry = tarIn.getNextEntry()) != null) {
                String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
                boolean wrapped = WRAPPED.contains(name);
                if (wrapped) {
                    entry.setName(name + ".real");
                }
                tarOut.putArchiveEntry(entry);
                if (!entry.isDirectory() && !entry.isSymbolicLink()) {
                    tarIn.transferTo(tarOut);
                }
                tarOut.closeArchiveEntry();
                if (wrapped) {
                    byte[] script = WRAPPER.getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry wrapper = new TarArchiveEntry(name);
                    wrapper.setMode(0755);
                    wrapper.setSize(script.length);
                    tarOut.putArchiveEntry(wrapper);
                    tarOut.write(script);
                    tarOut.closeArchiveEntry();
                }
            }
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
