package io.ticketing.api.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and discards what a request sent but no handler read (a body refused by 401, 413 or 415 before it
 * was read, a body on a GET), before the answer is written. Jetty closes a connection whose request body
 * is left unread, and a client still sending then sees a reset instead of the answer, or a truncated one.
 * Bodies declared larger than {@value #AT_MOST} bytes are not read: their connection is closed after the
 * answer, as before.
 */
final class UnreadBodies {

    static final long AT_MOST = 1024 * 1024;

    void register(RoutesConfig routes) {
        routes.after(UnreadBodies::discard);
    }

    private static void discard(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        boolean chunked = ctx.header("Transfer-Encoding") != null;
        // A client waiting for "100 Continue" has not sent its body; reading it would ask for it.
        if ((declared <= 0 && !chunked) || declared > AT_MOST || ctx.header("Expect") != null) {
            return;
        }
        try {
            InputStream body = ctx.req().getInputStream();
            byte[] buffer = new byte[8192];
            long read = 0;
            int n;
            while (read <= AT_MOST && (n = body.read(buffer)) != -1) {
                read += n;
            }
        } catch (IOException | IllegalStateException gone) {
            // The client went away, or the body was taken as a reader: nothing left to spare it.
        }
    }
}
