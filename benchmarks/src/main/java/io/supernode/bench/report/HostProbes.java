package io.supernode.bench.report;

import io.supernode.bench.compare.OpProbe;
import io.supernode.bench.compare.Sweep;
import io.supernode.gas.path.FabricPair;
import io.supernode.gas.path.PathKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host cost of each sweep method, one {@link OpProbe} per method and size, each timed in a child JVM
 * of its own as JMH forks one per benchmark: in the report's own JVM the JIT's profiles of the shared
 * access paths get mixed and small operations cost up to three times as much.
 */
final class HostProbes {

    /** The sizes the probes fetch: a scalar and a 64 KiB block. */
    private static final List<Long> SIZES = List.of(8L, 65_536L);

    private final ReportPlan plan;
    private final long seed;
    /** Warmed host ns per operation of each sweep method and size; empty until {@link #measure()}. */
    private final Map<PathKind, Map<Long, Double>> nanos = new EnumMap<>(PathKind.class);

    HostProbes(ReportPlan plan, long seed) {
        this.plan = plan;
        this.seed = seed;
    }

    /** Runs every probe, one child JVM after another. */
    void measure() {
        for (PathKind m : Sweep.PATHS) {
            for (long size : SIZES) {
                nanos.computeIfAbsent(m, k -> new TreeMap<>()).put(size, probeInFreshJvm(m, size));
            }
        }
    }

    /** Warmed host ns per operation of {@code method} fetching {@code sizeBytes} (NaN before {@link #measure()}). */
    double nanos(PathKind method, long sizeBytes) {
        return nanos.getOrDefault(method, Map.of()).getOrDefault(sizeBytes, Double.NaN);
    }

    /** Every figure measured, by method and then by size, smallest first (empty before {@link #measure()}). */
    Map<PathKind, Map<Long, Double>> all() {
        return Collections.unmodifiableMap(nanos);
    }

    /**
     * Warmed host ns per operation of one probe, timed in a child JVM on this JVM's class path with the
     * flags JMH's forks get, warmed up and timed for the plan's probe time each.
     */
    private double probeInFreshJvm(PathKind method, long size) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Dchronicle.analytics.disable=true", "-cp", System.getProperty("java.class.path"), OpProbe.class.getName(),
                FabricPair.UB_VS_ROCE.name(), method.name(), String.valueOf(size), String.valueOf(seed),
                String.valueOf(plan.probeMillis()), String.valueOf(plan.probeMillis()));
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes()).strip();
            if (child.waitFor() != 0) {
                throw new IllegalStateException("the " + method + " " + size + " B probe's JVM failed: " + output);
            }
            return Double.parseDouble(output.lines().reduce((a, b) -> b).orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for the " + method + " probe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the " + method + " probe ran", e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the " + method + " " + size + " B probe's JVM printed no figure", e);
        }
    }
}
