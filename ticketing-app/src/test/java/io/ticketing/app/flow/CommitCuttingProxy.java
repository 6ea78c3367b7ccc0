package io.ticketing.app.flow;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that, once armed, cuts the connection of the next transaction that
 * writes an idempotency key right after PostgreSQL has committed it: the server's "COMMIT" completion is
 * swallowed and both sockets are closed, so the application sees its COMMIT fail although it succeeded.
 * Needs an unencrypted connection ({@code sslmode=disable}) to read the server's messages.
 */
final class CommitCuttingProxy implements AutoCloseable {

    private static final byte[] MARK = "idempotency_key".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final String serverHost;
    private final int serverPort;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger cuts = new AtomicInteger();

    CommitCuttingProxy(String serverHost, int serverPort) throws IOException {
        this.serverHost = serverHost;
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "commit-cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next committed transaction that wrote an idempotency key loses its connection at COMMIT. */
    void armForNextCommit() {
        armed.set(true);
    }

    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(serverHost, serverPort);
                Link link = new Link(client, server);
                start(() -> link.clientToServer(), "proxy-client");
                start(() -> link.serverToClient(), "proxy-server");
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable pump, String name) {
        Thread thread = new Thread(pump, name);
        thread.setDaemon(true);
        thread.start();
    }

    private final class Link {
        final Socket client;
        final Socket server;
        volatile boolean wroteKey;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        /** Bytes as they come; remembers whether the transaction's statements name the idempotency table. */
        void clientToServer() {
            byte[] buffer = new byte[8192];
            byte[] tail = new byte[0];
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                for (int read; (read = in.read(buffer)) > 0; ) {
                    byte[] window = new byte[tail.length + read];
                    System.arraycopy(tail, 0, window, 0, tail.length);
                    System.arraycopy(buffer, 0, window, tail.length, read);
                    if (contains(window, MARK)) {
                        wroteKey = true;
                    }
                    tail = java.util.Arrays.copyOfRange(window, Math.max(0, window.length - MARK.length), window.length);
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeBoth();
            }
        }

        /** Message by message: type, length, body. */
        void serverToClient() {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(server.getInputStream()));
                 OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
                while (true) {
                    int type = in.readUnsignedByte();
                    int length = in.readInt();
                    byte[] body = in.readNBytes(length - 4);
                    boolean commitDone = type == 'C' && new String(body, StandardCharsets.US_ASCII).startsWith("COMMIT");
                    if (commitDone && wroteKey && armed.compareAndSet(true, false)) {
                        cuts.incrementAndGet();
                        return; // committed on the server; the client never hears of it
                    }
                    if (commitDone) {
                        wroteKey = false;
                    }
                    out.write(type);
                    out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                    out.write(body);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeBoth();
            }
        }

        private void closeBoth() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
