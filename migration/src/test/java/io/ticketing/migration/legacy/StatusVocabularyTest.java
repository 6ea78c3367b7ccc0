package io.ticketing.migration.legacy;

import io.ticketing.domain.model.BookingStatus;
import io.ticketing.domain.model.EventStatus;
import io.ticketing.domain.model.PaymentSessionStatus;
import io.ticketing.domain.model.SeatStatus;
import io.ticketing.domain.model.TicketStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusVocabularyTest {

    private static final Map<StatusVocabulary, Class<? extends Enum<?>>> DOMAIN_ENUMS = Map.of(
            StatusVocabulary.EVENT, EventStatus.class, StatusVocabulary.SEAT, SeatStatus.class,
            StatusVocabulary.BOOKING, BookingStatus.class, StatusVocabulary.PAYMENT_SESSION, PaymentSessionStatus.class,
            StatusVocabulary.TICKET, TicketStatus.class);

    @ParameterizedTest
    @EnumSource(StatusVocabulary.class)
    void every_value_of_the_domain_enum_is_some_legacy_word_and_every_word_a_value(StatusVocabulary vocabulary) {
        var values = Arrays.stream(DOMAIN_ENUMS.get(vocabulary).getEnumConstants()).map(Enum::name).toList();

        assertThat(vocabulary.words().values()).containsOnlyElementsOf(values).containsAll(values);
    }

    @ParameterizedTest
    @EnumSource(StatusVocabulary.class)
    void the_legacy_apps_own_spellings_all_map_whatever_their_case_and_spaces(StatusVocabulary vocabulary) {
        assertThat(vocabulary.legacySpellings()).allSatisfy(spelling -> {
            assertThat(vocabulary.map(spelling)).as(spelling).isPresent();
            assertThat(vocabulary.map("  " + spelling.toUpperCase() + " ")).isEqualTo(vocabulary.map(spelling));
        });
    }
}
