package io.ticketing.persistence.mybatis;

import io.ticketing.domain.model.StorageUnavailableException;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/**
 * The application's one {@link SqlSessionFactory}, and its transactions: one {@link SqlSession} per
 * unit of work, bound to the thread while the work runs, so that every adapter called inside it
 * shares the transaction. The actor of the work is set as {@code ticketing.actor} for the length of
 * the transaction, where the audit triggers read it.
 */
public final class Sessions {

    private final SqlSessionFactory factory;
    private final ThreadLocal<SqlSession> current = new ThreadLocal<>();

    public Sessions(DataSource dataSource) {
        Configuration configuration = new Configuration(new Environment("ticketing", new JdbcTransactionFactory(), dataSource));
        configuration.setMapUnderscoreToCamelCase(true);
        configuration.setDefaultStatementTimeout(30);
        configuration.setCacheEnabled(false);
        configuration.getTypeHandlerRegistry().register(UUID.class, new UuidTypeHandler());
        configuration.getTypeHandlerRegistry().register(Instant.class, new InstantTypeHandler());
        // Every mapper interface of this module; each loads the XML of the same name beside it.
        configuration.addMappers(Sessions.class.getPackageName());
        this.factory = new SqlSessionFactoryBuilder().build(configuration);
    }

    /**
     * Runs {@code work} in one transaction as {@code actor}: committed when it returns, rolled back
     * when it throws. Nested calls join the outer transaction.
     */
    public <T> T inTransaction(String actor, Function<SqlSession, T> work) {
        SqlSession outer = current.get();
        if (outer != null) {
            return work.apply(outer);
        }
        try {
            return inNewTransaction(actor, work);
        } catch (RuntimeException failure) {
            throw unavailableOr(failure);
        }
    }

    private <T> T inNewTransaction(String actor, Function<SqlSession, T> work) {
        try (SqlSession session = factory.openSession(false)) {
            current.set(session);
            session.getMapper(TransactionMapper.class).setActor(actor);
            T result;
            try {
                result = work.apply(session);
            } catch (RuntimeException | Error failure) {
                // Forced: MyBatis skips the rollback when it saw no insert/update/delete, and closing would then
                // reset auto-commit, which commits whatever a <select> (FOR UPDATE, INSERT … RETURNING) did.
                rollbackQuietly(session, failure);
                throw failure;
            }
            session.commit(true);
            return result;
        } finally {
            current.remove();
        }
    }

    /** A database out of reach is the storage's state, not a bug: said as the domain says it, whatever the statement. */
    private static RuntimeException unavailableOr(RuntimeException failure) {
        if (failure instanceof StorageUnavailableException) {
            return failure;
        }
        return SqlFailures.sqlCause(failure)
                .filter(sql -> SqlFailures.kindOf(sql) == SqlFailures.Kind.UNAVAILABLE)
                .<RuntimeException>map(sql -> new StorageUnavailableException(
                        "the database cannot be reached: " + sql.getMessage(), failure))
                .orElse(failure);
    }

    private static void rollbackQuietly(SqlSession session, Throwable failure) {
        try {
            session.rollback(true);
        } catch (RuntimeException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    /** Whether this thread is inside a transaction of {@link #inTransaction}. */
    public boolean inTransaction() {
        return current.get() != null;
    }

    /** The mapper of the current unit of work, or of a short transaction of its own outside one. */
    public <M, T> T withMapper(Class<M> mapper, Function<M, T> work) {
        SqlSession session = current.get();
        if (session != null) {
            return work.apply(session.getMapper(mapper));
        }
        return inTransaction("system", s -> work.apply(s.getMapper(mapper)));
    }
}
