package io.aimp.gateway.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.core.convert.converter.Converter;

/**
 * A time in a query parameter ({@code from}, {@code to}): an instant ({@code 2026-12-01T08:30:00Z}, or
 * with an offset) or a date ({@code 2026-12-01}, the start of that day in UTC).
 */
final class InstantParameter implements Converter<String, Instant> {

    static final String FORMAT = "a date (2026-12-01, the start of that day in UTC) or an instant (2026-12-01T08:30:00Z)";

    @Override
    public Instant convert(String source) {
        String s = source.strip();
        if (s.length() > 64) {
            throw new IllegalArgumentException("too long");
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("neither a date nor an instant", e);
        }
    }
}
