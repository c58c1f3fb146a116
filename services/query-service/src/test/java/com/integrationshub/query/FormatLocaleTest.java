package com.integrationshub.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FormatLocaleTest {

    private final Locale before = Locale.getDefault(Locale.Category.FORMAT);

    @AfterEach
    void restore() {
        Locale.setDefault(Locale.Category.FORMAT, before);
    }

    @Test
    void shouldFormatNumbersTheSameWhateverTheHostLocale() {
        Locale.setDefault(Locale.Category.FORMAT, Locale.forLanguageTag("ar-EG"));
        // The host's locale would write Arabic-Indic digits and its own decimal separator.
        assertNotEquals("1234 0.5", String.format("%d %.1f", 1234, 0.5));

        QueryServiceApplication.useFixedFormatLocale();

        assertEquals("1234 0.5", String.format("%d %.1f", 1234, 0.5));
        assertEquals(Locale.US, Locale.getDefault(Locale.Category.FORMAT));
    }
}
