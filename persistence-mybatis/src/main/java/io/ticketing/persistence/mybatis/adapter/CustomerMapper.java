package io.ticketing.persistence.mybatis.adapter;

import io.ticketing.domain.model.Customer;
import io.ticketing.domain.model.CustomerId;
import io.ticketing.domain.port.out.RowLock;
import org.apache.ibatis.annotations.Param;

import java.time.Instant;
import java.util.UUID;

/** Table {@code customer}. */
interface CustomerMapper {

    /** {@code ON CONFLICT (email) DO NOTHING}: 0 when the email is taken. */
    int insertIfAbsent(@Param("customer") Customer customer);

    CustomerRow findById(@Param("id") UUID id, @Param("lock") RowLock lock);

    CustomerRow findByEmail(@Param("email") String email);

    record CustomerRow(UUID id, String email, String name, Instant createdAt) {

        Customer toDomain() {
            return new Customer(new CustomerId(id), email, name, createdAt);
        }
    }
}
