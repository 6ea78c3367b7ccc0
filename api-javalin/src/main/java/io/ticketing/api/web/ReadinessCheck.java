package io.ticketing.api.web;

/** Whether the application can serve: its database is reachable and its schema is current. */
@FunctionalInterface
public interface ReadinessCheck {

    Readiness check();

    record Readiness(boolean isReady, String detail) {
        public static Readiness ok() {
            return new Readiness(true, "database reachable, migrations current");
        }

        public static Readiness notReady(String detail) {
            return new Readiness(false, detail);
        }
    }
}
