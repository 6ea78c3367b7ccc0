package io.ticketing.app;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every duration option of the command line: a number of seconds (5, 0.5, 5s), milliseconds (500ms), minutes (5m) or
 * hours (1h), or ISO-8601 (PT5S). A sign is kept, for the command to refuse in its own words; what is no duration is
 * one line that says what is.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern AMOUNT = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        String text = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p") || text.startsWith("-p")) {
                return Duration.parse(text);
            }
            Matcher amount = AMOUNT.matcher(text);
            if (amount.matches()) {
                long nanosPerUnit = switch (amount.group(2) == null ? "s" : amount.group(2)) {
                    case "ms" -> 1_000_000L;
                    case "m" -> 60_000_000_000L;
                    case "h" -> 3_600_000_000_000L;
                    default -> 1_000_000_000L;
                };
                return Duration.ofNanos(new BigDecimal(amount.group(1)).multiply(BigDecimal.valueOf(nanosPerUnit))
                        .setScale(0, RoundingMode.DOWN).longValueExact());
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // said below
        }
        throw new TypeConversionException("'" + value + "' is not a duration: give seconds (5, 0.5, 5s), milliseconds (500ms), "
                + "minutes (5m), hours (1h) or ISO-8601 (PT5S)");
    }
}
