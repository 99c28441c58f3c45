package io.supernode.bench.report;

import java.util.Locale;

/** How the report's tables write numbers that have no unit class of their own. */
final class Cells {

    private Cells() {
    }

    /** {@code fraction} as a percentage with one decimal, e.g. {@code 12.5 %}. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    /** A host or modeled figure: whole and grouped from 100 up, one decimal below. */
    static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
