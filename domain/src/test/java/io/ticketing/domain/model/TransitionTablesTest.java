package io.ticketing.domain.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every pair of states of every status enum: allowed exactly where the ticketing flow needs it, refused everywhere else. */
class TransitionTablesTest {

    private static final Map<Class<? extends Enum<?>>, Set<String>> ALLOWED = Map.of(
            EventStatus.class, Set.of("DRAFT->PUBLISHED", "DRAFT->CANCELLED", "PUBLISHED->CANCELLED"),
            SeatStatus.class, Set.of("AVAILABLE->RESERVED", "AVAILABLE->BLOCKED", "RESERVED->AVAILABLE",
                    "RESERVED->BOOKED", "BOOKED->AVAILABLE", "BLOCKED->AVAILABLE"),
            PaymentSessionStatus.class, Set.of("OPEN->PROCESSING", "OPEN->SUCCEEDED", "OPEN->FAILED", "OPEN->EXPIRED",
                    "OPEN->CANCELLED", "PROCESSING->SUCCEEDED", "PROCESSING->FAILED", "PROCESSING->CANCELLED"),
            BookingStatus.class, Set.of("PENDING->CONFIRMED", "PENDING->CANCELLED", "CONFIRMED->CANCELLED"),
            TicketStatus.class, Set.of("VALID->USED", "VALID->CANCELLED", "VALID->REFUNDED", "CANCELLED->REFUNDED"));

    static Stream<Arguments> everyPairOfStates() {
        List<Arguments> pairs = new ArrayList<>();
        for (Class<? extends Enum<?>> type : ALLOWED.keySet()) {
            for (Enum<?> from : type.getEnumConstants()) {
                for (Enum<?> to : type.getEnumConstants()) {
                    pairs.add(Arguments.of(type.getSimpleName(), from, to, ALLOWED.get(type).contains(from + "->" + to)));
                }
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} allowed={3}")
    @MethodSource("everyPairOfStates")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void each_status_allows_exactly_its_transitions(String type, Enum from, Enum to, boolean allowed) {
        LifecycleState state = (LifecycleState) from;
        assertThat(state.canBecome(to)).isEqualTo(allowed);
        if (allowed) {
            assertThat(state.moveTo(to, "Thing", "id-1")).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> state.moveTo(to, "Thing", "id-1"))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, refusal -> {
                        assertThat(refusal.code()).isEqualTo("ILLEGAL_TRANSITION");
                        assertThat(refusal.entity()).isEqualTo("Thing");
                        assertThat(refusal.entityId()).isEqualTo("id-1");
                        assertThat(refusal.from()).isEqualTo(from);
                        assertThat(refusal.attempted()).isEqualTo(to);
                        assertThat(refusal).hasMessageContaining("Thing id-1 is " + from + " and cannot become " + to);
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("enums")
    void the_values_are_exactly_those_of_the_design(Class<? extends Enum<?>> type, List<String> expected) {
        assertThat(Stream.of(type.getEnumConstants()).map(Enum::name)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> enums() {
        return Stream.of(
                Arguments.of(EventStatus.class, List.of("DRAFT", "PUBLISHED", "CANCELLED")),
                Arguments.of(SeatStatus.class, List.of("AVAILABLE", "RESERVED", "BOOKED", "BLOCKED")),
                Arguments.of(PaymentSessionStatus.class, List.of("OPEN", "PROCESSING", "SUCCEEDED", "FAILED", "EXPIRED", "CANCELLED")),
                Arguments.of(BookingStatus.class, List.of("PENDING", "CONFIRMED", "CANCELLED")),
                Arguments.of(TicketStatus.class, List.of("VALID", "USED", "CANCELLED", "REFUNDED")));
    }

    @ParameterizedTest
    @MethodSource("enums")
    void terminal_states_are_those_without_a_way_out(Class<? extends Enum<?>> type, List<String> values) {
        for (Enum<?> state : type.getEnumConstants()) {
            boolean hasWayOut = ALLOWED.get(type).stream().anyMatch(edge -> edge.startsWith(state.name() + "->"));
            assertThat(((LifecycleState<?>) state).isTerminal()).as(state.name()).isEqualTo(!hasWayOut);
        }
    }

    @org.junit.jupiter.api.Test
    void only_open_and_processing_checkouts_hold_seats() {
        assertThat(EnumSet.allOf(PaymentSessionStatus.class).stream().filter(PaymentSessionStatus::holdsSeats))
                .containsExactly(PaymentSessionStatus.OPEN, PaymentSessionStatus.PROCESSING);
    }
}
