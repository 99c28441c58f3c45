package io.supernode.gas.config;

import java.util.Locale;

/** How an option's enum values are written on the command line, in files and in reports. */
public final class OptionNames {

    private OptionNames() {
    }

    /** {@code value}'s name in lower case with '-' for '_', e.g. {@code row-modulo}. */
    public static String label(Enum<?> value) {
        return label(value.name());
    }

    /** {@code name} in lower case with '-' for '_', e.g. {@code ub-vs-roce}. */
    public static String label(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
