package io.ticketing.persistence.mybatis;

import org.apache.ibatis.builder.StaticSqlSource;
import org.apache.ibatis.scripting.defaults.RawSqlSource;
import org.apache.ibatis.session.Configuration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements a booking writes (checkout, seat transition, booking, tickets) keep one SQL text
 * whatever the number of seats, parsed once when MyBatis starts: a statement with {@code <foreach>},
 * {@code <if>} or {@code <choose>} is built and parsed anew on every call, which on the booking path
 * was a large share of the application's own CPU.
 */
class StaticBookingSqlTest {

    private static final List<String> BOOKING_PATH_WRITES = List.of(
            "PaymentSessionMapper.insertRows", "PaymentSessionMapper.updateRow", "SeatMapper.findSeats", "SeatMapper.moveSeats",
            "BookingMapper.insertRows", "TicketMapper.insertTicketRows");

    @Test
    void the_statements_of_a_booking_are_parsed_once() {
        // No connection is opened: building the configuration only reads the mappers.
        Configuration configuration = Sessions.configuration(new PGSimpleDataSource());
        for (String statement : BOOKING_PATH_WRITES) {
            assertThat(configuration.getMappedStatement("io.ticketing.persistence.mybatis.adapter." + statement).getSqlSource())
                    .as(statement).isInstanceOfAny(RawSqlSource.class, StaticSqlSource.class);
        }
    }
}
