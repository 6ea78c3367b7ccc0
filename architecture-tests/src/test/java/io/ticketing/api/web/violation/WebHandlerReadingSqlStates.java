package io.ticketing.api.web.violation;

import java.sql.SQLException;

/** Deliberately wrong, to prove that the rules bite: a web handler that classifies SQL failures itself. */
public final class WebHandlerReadingSqlStates {
    public boolean unavailable(Exception e) {
        return e instanceof SQLException sql && sql.getSQLState().startsWith("08");
    }
}
