package io.supernode.collectives.data;

import io.supernode.gas.fault.ConfigFault;

import java.util.Locale;

/** How a reduction combines two elements; nccl-tests' names. */
public enum ReduceOp {
    /** a + b, rounded to the element type. */
    SUM("sum"),
    /** max(a, b); float only. */
    MAX("max");

    private final String ncclName;

    ReduceOp(String ncclName) {
        this.ncclName = ncclName;
    }

    /** The name nccl-tests prints in its redop column. */
    public String ncclName() {
        return ncclName;
    }

    /** {@code a} combined with {@code b}, before rounding to the element type. */
    public float apply(float a, float b) {
        return this == SUM ? a + b : Math.max(a, b);
    }

    /**
     * Whether this operation reduces elements of {@code type}: every float type sums, only {@code float}
     * takes the maximum, and bytes are never reduced.
     */
    public boolean supports(DataType type) {
        return type != DataType.BYTES && (this == SUM || type == DataType.FLOAT32);
    }

    /**
     * The operation with this name, any case.
     *
     * @throws ConfigFault naming the known operations
     */
    public static ReduceOp byName(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "sum" -> SUM;
            case "max" -> MAX;
            default -> throw new ConfigFault("unknown reduction '" + name + "' (known: sum, max)");
        };
    }
}
