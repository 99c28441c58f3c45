package io.supernode.coherence.check;

/**
 * One instruction of a litmus program.
 *
 * @param store    a store (else a load)
 * @param line     the location: 0 is {@code x}, 1 is {@code y}
 * @param value    the value a store writes
 * @param register the register a load writes, e.g. {@code r0}
 */
public record LitmusOp(boolean store, int line, int value, String register) {

    /** A store of {@code value} to {@code line}. */
    public static LitmusOp write(int line, int value) {
        return new LitmusOp(true, line, value, null);
    }

    /** A load of {@code line} into {@code register}. */
    public static LitmusOp read(int line, String register) {
        return new LitmusOp(false, line, 0, register);
    }

    /** The location's name. */
    public static String location(int line) {
        return String.valueOf((char) ('x' + line));
    }

    @Override
    public String toString() {
        return store ? "W " + location(line) + "=" + value : register + "=R " + location(line);
    }
}
