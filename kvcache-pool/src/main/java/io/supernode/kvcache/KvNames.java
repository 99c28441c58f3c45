package io.supernode.kvcache;
import io.supernode.gas.config.OptionNames;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How the KV cache's policies are named on the command line and in reports: lower case, dashed. */
public final class KvNames {

    private KvNames() {
    }

    /** {@code value}'s name in lower case with '-' for '_', e.g. {@code pooled-unified}. */
    public static String label(Enum<?> value) {
        return OptionNames.label(value);
    }

    /**
     * The value of {@code values} named {@code name}, case-insensitive, with '-' for '_'.
     *
     * @param what what the values are, for the error, e.g. {@code path}
     * @throws KvConfigException naming the known values when none matches
     */
    public static <E extends Enum<E>> E parse(E[] values, String name, String what) {
        String wanted = name == null ? "" : name.replace('-', '_');
        for (E value : values) {
            if (value.name().equalsIgnoreCase(wanted)) {
                return value;
            }
        }
        throw new KvConfigException("unknown " + what + " '" + name + "' (known: "
                + Arrays.stream(values).map(KvNames::label).collect(Collectors.joining(", ")) + ")");
    }
}
