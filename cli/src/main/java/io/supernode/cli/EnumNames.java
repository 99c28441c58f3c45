package io.supernode.cli;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.config.OptionNames;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How enum values are written on the command line: lower case with '-' for '_', e.g. {@code row-modulo}. */
final class EnumNames {

    private EnumNames() {
    }

    /** {@code value}'s command-line name. */
    static String label(Enum<?> value) {
        return OptionNames.label(value);
    }

    /**
     * The value of {@code type} named {@code name}, case-insensitive, '-' or '_'.
     *
     * @param what what the values are, for the error, e.g. {@code sharding}
     * @throws ConfigFault naming the known values when none matches
     */
    static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        String wanted = name == null ? "" : name.trim().replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(wanted)) {
                return value;
            }
        }
        throw new ConfigFault("unknown " + what + " '" + name + "' (known: "
                + Arrays.stream(type.getEnumConstants()).map(EnumNames::label).collect(Collectors.joining(", ")) + ")");
    }
}
