package io.ticketing.persistence.mybatis;

import io.ticketing.testsupport.TestDatabase;
import io.ticketing.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A replica that stops answering without closing its connections (its host frozen): a read in flight on it fails
 * with the driver's read timeout, so that the primary can answer it, instead of waiting for the kernel to give up.
 */
class FrozenReplicaTest {

    @Test
    void a_read_on_a_replica_that_stops_answering_fails_on_its_read_timeout_instead_of_hanging() throws Exception {
        TestDatabase database = TestPostgres.emptyDatabase();
        URI server = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        try (FreezingProxy proxy = new FreezingProxy(server.getHost(), server.getPort());
             ConnectionPool replica = ConnectionPool.openReadReplica(
                     "jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getPath(), database.user(), database.password(), false);
             Connection connection = replica.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            try (ResultSet answered = statement.executeQuery("SELECT 1")) {
                assertThat(answered.next()).isTrue();
            }

            proxy.freeze();

            try {
                // The bound only keeps a hang from holding the build: it is far above the read timeout.
                assertTimeoutPreemptively(ConnectionPool.REPLICA_READ_TIMEOUT.plus(Duration.ofMinutes(1)), () ->
                        assertThatThrownBy(() -> statement.executeQuery("SELECT 2"))
                                .isInstanceOf(SQLException.class)
                                .hasRootCauseInstanceOf(SocketTimeoutException.class));
            } finally {
                proxy.close(); // its sockets too: a read still hanging (the test failing) lets the connection close
            }
        }
    }

    /** Forwards bytes both ways until frozen; then it keeps both connections open and forwards nothing. */
    private static final class FreezingProxy implements AutoCloseable {

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicBoolean frozen = new AtomicBoolean();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        FreezingProxy(String host, int port) throws IOException {
            daemon(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket upstream = new Socket(host, port);
                        sockets.add(client);
                        sockets.add(upstream);
                        daemon(() -> pump(client, upstream));
                        daemon(() -> pump(upstream, client));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        void freeze() {
            frozen.set(true);
        }

        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!frozen.get()) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException closed) {
                // the other side went away
            }
        }

        private static void daemon(Runnable work) {
            Thread thread = new Thread(work, "freezing-proxy");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
