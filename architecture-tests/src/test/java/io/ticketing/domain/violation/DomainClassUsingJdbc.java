package io.ticketing.domain.violation;

import javax.sql.DataSource;

/** Deliberately wrong, to prove that the rules bite: a domain class that uses JDBC. */
public final class DomainClassUsingJdbc {
    public DataSource dataSource;
}
