package io.ticketing.persistence.mybatis;

import io.ticketing.database.DatabaseErrors;
import io.ticketing.domain.model.StorageUnavailableException;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.mapping.SqlCommandType;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
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
 * shares the transaction. The actor of the work is what the audit triggers record: it is set as
 * {@code ticketing.actor} right before the first statement that writes a table of the domain's
 * (the adapter's mappers; the bookkeeping tables of {@code access} carry no audit trigger), so a
 * transaction that only reads never sets it. A nested unit of work that acts as someone else acts so
 * for its length (a request's envelope runs as the API, the use case inside it as the customer).
 */
public final class Sessions {

    private final SqlSessionFactory factory;
    private final ThreadLocal<Transaction> current = new ThreadLocal<>();

    /** The session of the thread's transaction, who acts in it now, and who its audit triggers would record. */
    private static final class Transaction {
        final SqlSession session;
        String actor;
        String actorSet;

        Transaction(SqlSession session, String actor) {
            this.session = session;
            this.actor = actor;
        }

        void setActorBeforeAWrite() {
            if (!actor.equals(actorSet)) {
                actorSet = actor; // first: the statement below passes this interceptor as a read
                session.getMapper(TransactionMapper.class).setActor(actor);
            }
        }
    }

    /** Sets the actor before a statement that writes a domain table: an insert, update or delete, or a select that writes. */
    @Intercepts({
            @Signature(type = Executor.class, method = "update", args = {MappedStatement.class, Object.class}),
            @Signature(type = Executor.class, method = "query",
                    args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class})})
    private final class ActorBeforeWrites implements Interceptor {
        private static final String DOMAIN_MAPPERS = "io.ticketing.persistence.mybatis.adapter.";

        @Override
        public Object intercept(Invocation invocation) throws Throwable {
            MappedStatement statement = (MappedStatement) invocation.getArgs()[0];
            Transaction transaction = current.get();
            // flushCache marks a <select> that writes (a data-modifying WITH): MyBatis's own flag for "changes data".
            boolean writes = statement.getSqlCommandType() != SqlCommandType.SELECT || statement.isFlushCacheRequired();
            if (transaction != null && writes && statement.getId().startsWith(DOMAIN_MAPPERS)) {
                transaction.setActorBeforeAWrite();
            }
            return invocation.proceed();
        }
    }

    public Sessions(DataSource dataSource) {
        Configuration configuration = configuration(dataSource);
        configuration.addInterceptor(new ActorBeforeWrites());
        this.factory = new SqlSessionFactoryBuilder().build(configuration);
    }

    /** MyBatis as this module uses it: its type handlers and every mapper of the module (without the audit actor's plugin). */
    static Configuration configuration(DataSource dataSource) {
        Configuration configuration = new Configuration(new Environment("ticketing", new JdbcTransactionFactory(), dataSource));
        configuration.setMapUnderscoreToCamelCase(true);
        configuration.setDefaultStatementTimeout(30);
        configuration.setCacheEnabled(false);
        // Each statement reads the rows as they are now, never a result the session cached earlier in the transaction:
        // under READ COMMITTED others commit between its statements, and a read that waited for a row's lock must see
        // what the holder committed (a checkout read unlocked, then locked after its event's cancellation settled it).
        configuration.setLocalCacheScope(LocalCacheScope.STATEMENT);
        configuration.getTypeHandlerRegistry().register(UUID.class, new UuidTypeHandler());
        configuration.getTypeHandlerRegistry().register(Instant.class, new InstantTypeHandler());
        configuration.getTypeAliasRegistry().registerAlias(SqlArrayTypeHandler.ALIAS, SqlArrayTypeHandler.class);
        // Every mapper interface of this module; each loads the XML of the same name beside it.
        configuration.addMappers(Sessions.class.getPackageName());
        return configuration;
    }

    /**
     * Runs {@code work} in one transaction as {@code actor}: committed when it returns, rolled back
     * when it throws. Nested calls join the outer transaction.
     */
    public <T> T inTransaction(String actor, Function<SqlSession, T> work) {
        Transaction outer = current.get();
        if (outer != null) {
            return outer.actor.equals(actor) ? work.apply(outer.session) : actingAs(outer, actor, work);
        }
        try {
            return inNewTransaction(actor, work);
        } catch (RuntimeException failure) {
            throw unavailableOr(failure);
        }
    }

    private static <T> T actingAs(Transaction transaction, String actor, Function<SqlSession, T> work) {
        String outerActor = transaction.actor;
        transaction.actor = actor;
        try {
            return work.apply(transaction.session);
        } finally {
            transaction.actor = outerActor;
        }
    }

    private <T> T inNewTransaction(String actor, Function<SqlSession, T> work) {
        try (SqlSession session = factory.openSession(false)) {
            current.set(new Transaction(session, actor));
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
        return DatabaseErrors.sqlCause(failure)
                .filter(sql -> DatabaseErrors.kindOf(sql) == DatabaseErrors.Kind.UNAVAILABLE)
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
        Transaction transaction = current.get();
        if (transaction != null) {
            return work.apply(transaction.session.getMapper(mapper));
        }
        return inTransaction("system", s -> work.apply(s.getMapper(mapper)));
    }
}
