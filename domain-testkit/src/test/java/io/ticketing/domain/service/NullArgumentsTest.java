package io.ticketing.domain.service;

import io.ticketing.domain.model.InvalidValueException;
import io.ticketing.domain.testing.inmemory.InMemoryTicketingAdapter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every use case refuses a missing command or query with INVALID_VALUE, as an embedder's caller can handle, not a bare NullPointerException. */
class NullArgumentsTest {

    private final TicketingServices services = TicketingServices.wire(InMemoryTicketingAdapter.newPorts(Clock.systemUTC()));

    @TestFactory
    Stream<DynamicTest> every_use_case_refuses_a_null_command_with_an_invalid_value() {
        return Arrays.stream(TicketingServices.class.getRecordComponents())
                .map(this::service)
                .flatMap(service -> Arrays.stream(service.getClass().getInterfaces())
                        .filter(useCase -> useCase.getSimpleName().endsWith("UseCase"))
                        .flatMap(useCase -> Arrays.stream(useCase.getMethods()))
                        .filter(method -> method.getParameterCount() == 1)
                        .map(method -> DynamicTest.dynamicTest(method.getDeclaringClass().getSimpleName() + "." + method.getName(),
                                () -> assertRefusesNull(service, method))));
    }

    private Object service(RecordComponent component) {
        try {
            return component.getAccessor().invoke(services);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefusesNull(Object service, Method method) throws IllegalAccessException {
        try {
            method.invoke(service, (Object) null);
            throw new AssertionError(method + " accepted null");
        } catch (InvocationTargetException e) {
            assertThat(e.getCause()).isInstanceOf(InvalidValueException.class);
            assertThat(((InvalidValueException) e.getCause()).code()).isEqualTo("INVALID_VALUE");
        }
    }
}
