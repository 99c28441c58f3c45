package io.supernode.gas.stats;

import java.util.Locale;

/** How the tool prints times and rates. */
public final class Units {

    private Units() {
    }

    /** Nanoseconds as ns, us, ms or s with three significant digits. */
    public static String nanos(double nanos) {
        if (nanos < 1_000) {
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.3g us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
    }

    /** Bytes with a decimal unit (B, kB, MB, GB, TB, PB), as traffic volumes are published. */
    public static String decimalBytes(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Bytes per second as GB/s (decimal, as the published figures are). */
    public static String gbPerSecond(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f GB/s", bytesPerSecond / 1e9);
    }
}
