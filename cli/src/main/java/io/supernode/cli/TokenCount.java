package io.supernode.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** A token count such as {@code 500000}, {@code 500k}, {@code 3M} or {@code 1.5M} (decimal multiples). */
final class TokenCount implements ITypeConverter<Long> {

    @Override
    public Long convert(String text) {
        return parse(text);
    }

    /**
     * Parses {@code text}.
     *
     * @throws TypeConversionException naming the text when it is not a positive count (picocli then names the
     *         option)
     */
    static long parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        double multiple = 1;
        if (t.endsWith("k")) {
            multiple = 1e3;
        } else if (t.endsWith("m")) {
            multiple = 1e6;
        } else if (t.endsWith("g")) {
            multiple = 1e9;
        }
        String digits = multiple == 1 ? t : t.substring(0, t.length() - 1);
        try {
            double value = Double.parseDouble(digits) * multiple;
            if (!(value >= 1) || value > 1e15 || digits.contains("e") || digits.contains("x")) {
                throw new NumberFormatException();
            }
            return Math.round(value);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a token count of 1 to 10^15 (e.g. 500000, 500k, 3M)");
        }
    }
}
