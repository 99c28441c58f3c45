package io.supernode.gas.memory;

import io.supernode.gas.fault.ConfigFault;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written and parsed the way people type sizes: {@code 512}, {@code 4KiB},
 * {@code 128GiB}, {@code 1.5MiB}, {@code 64KB}. Binary suffixes (KiB, MiB, GiB, TiB) are powers of
 * 1024; decimal ones (KB, MB, GB, TB) powers of 1000; {@code B} or none means bytes.
 *
 * @param bytes the size; never negative
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)\\s*");
    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    /** Validates the size. */
    public ByteSize {
        if (bytes < 0) {
            throw new ConfigFault("a size cannot be negative: " + bytes + " bytes");
        }
    }

    /** {@code n} bytes. */
    public static ByteSize bytes(long n) {
        return new ByteSize(n);
    }

    /** {@code n} KiB. */
    public static ByteSize kib(long n) {
        return new ByteSize(Math.multiplyExact(n, 1L << 10));
    }

    /** {@code n} MiB. */
    public static ByteSize mib(long n) {
        return new ByteSize(Math.multiplyExact(n, 1L << 20));
    }

    /** {@code n} GiB. */
    public static ByteSize gib(long n) {
        return new ByteSize(Math.multiplyExact(n, 1L << 30));
    }

    /** {@code n} TiB. */
    public static ByteSize tib(long n) {
        return new ByteSize(Math.multiplyExact(n, 1L << 40));
    }

    /**
     * Parses a size such as {@code 128GiB} or {@code 4 KB}.
     *
     * @throws ConfigFault naming the text when it is not a size (e.g. {@code 12XB})
     */
    public static ByteSize parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new ConfigFault("not a size: '" + text + "' (expected e.g. 512, 64KiB, 128GiB, 1.5MB)");
        }
        long unit = unitBytes(m.group(2), text);
        double value = Double.parseDouble(m.group(1));
        double bytes = value * unit;
        if (bytes >= 0x1p63) {
            throw new ConfigFault("size too large: '" + text + "'");
        }
        if (bytes != Math.floor(bytes)) {
            throw new ConfigFault("size is not a whole number of bytes: '" + text + "'");
        }
        return new ByteSize((long) bytes);
    }

    private static long unitBytes(String suffix, String text) {
        return switch (suffix.toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "kib" -> 1L << 10;
            case "m", "mib" -> 1L << 20;
            case "g", "gib" -> 1L << 30;
            case "t", "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new ConfigFault("unknown size unit '" + suffix + "' in '" + text
                    + "' (use B, KiB, MiB, GiB, TiB or KB, MB, GB, TB)");
        };
    }

    /** Formats a byte count with the largest binary unit that keeps it at least 1, e.g. {@code 48 TiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = Math.min((63 - Long.numberOfLeadingZeros(bytes)) / 10, BINARY_UNITS.length - 1);
        double value = bytes / (double) (1L << (10 * unit));
        String number = value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + BINARY_UNITS[unit];
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return format(bytes);
    }
}
