package io.ticketing.api.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.javalin.security.RouteRole;
import io.javalin.security.Roles;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsExceptionHandler;
import io.javalin.websocket.WsHandlerType;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The routes, each GET registered as HEAD too, with the same handler and roles. Javalin answers a
 * HEAD without a route of its own with the GET's handler but checks it against no roles, so that
 * the deny-by-default access control refused every HEAD with 403; HTTP asks a server to answer HEAD
 * as it answers GET, without the body (which Jetty leaves out).
 */
final class HeadAsGet implements JavalinDefaultRoutingApi {

    private final RoutesConfig routes;

    HeadAsGet(RoutesConfig routes) {
        this.routes = routes;
    }

    @Override
    public JavalinDefaultRoutingApi addEndpoint(Endpoint endpoint) {
        routes.addEndpoint(endpoint);
        if (endpoint.method == HandlerType.GET) {
            Roles roles = endpoint.metadata(Roles.class);
            routes.addEndpoint(new Endpoint(HandlerType.HEAD, endpoint.path, endpoint.handler, roles == null ? Set.of() : Set.of(roles)));
        }
        return this;
    }

    @Override
    public <E extends Exception> JavalinDefaultRoutingApi exception(Class<E> type, ExceptionHandler<? super E> handler) {
        routes.exception(type, handler);
        return this;
    }

    @Override
    public JavalinDefaultRoutingApi error(int status, String contentType, Handler handler) {
        routes.error(status, contentType, handler);
        return this;
    }

    @Override
    public <E extends Exception> JavalinDefaultRoutingApi wsException(Class<E> type, WsExceptionHandler<? super E> handler) {
        routes.wsException(type, handler);
        return this;
    }

    @Override
    public JavalinDefaultRoutingApi addWsHandler(WsHandlerType type, String path, Consumer<WsConfig> config, RouteRole... roles) {
        routes.addWsHandler(type, path, config, roles);
        return this;
    }
}
