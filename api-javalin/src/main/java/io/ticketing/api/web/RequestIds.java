package io.ticketing.api.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every request has an id: the caller's {@value #HEADER} when it is a sane token, else a new one.
 * It is answered in the same header and stands in every log line written while the request runs
 * ({@code %X{requestId}}), so that a client's report leads to the server's log.
 */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    private static final Logger LOG = LoggerFactory.getLogger("ticketing.access");
    private static final String MDC_KEY = "requestId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    void register(RoutesConfig routes) {
        routes.before(this::assign);
        routes.after(ctx -> {
            LOG.info("{} {} {}", ctx.method(), ctx.path(), ctx.status().getCode());
            MDC.remove(MDC_KEY);
        });
    }

    private void assign(Context ctx) {
        String given = ctx.header(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        MDC.put(MDC_KEY, id);
        ctx.header(HEADER, id);
    }
}
