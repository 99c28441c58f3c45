package io.supernode.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * The figure {@link CopyRoundTripBenchmark} exists for, the copy path's round trip over the bare JCTools
 * floor, taken over many JVMs. On a VM one fork says little: where the host places the two vCPUs moves the
 * floor between about 80 and 440 ns from one fork to the next, and the ratio in fast forks alone spreads
 * from about 1.25 to 1.8 with each JVM's code and memory layout. So this runs {@code interleaved} in
 * {@code forks} JVMs and prints, per fork and over all of them, medians over the iterations at the fast
 * placement: those whose floor is within {@value #FAST_PLACEMENT}x the lowest floor of the run. Within a
 * fast fork the floor also toggles between two levels while the copy path stays put, so the ratio is
 * reported again over the iterations at the lowest level (floor within {@value #LOWEST_LEVEL}x the lowest),
 * the strictest reading. The target is judged on the first: at the lowest level even a minimal ring doing
 * the copy path's per-message work costs about 1.5x the floor ({@code --anatomy}, below). The iterations at
 * the slow placement, where the floor alone costs more than the copy path's extra work, are counted apart.
 * All figures are host nanoseconds per round trip.
 *
 * <p>With {@code --anatomy} it runs {@link RoundTripAnatomyBenchmark}'s {@code interleaved} at level 4
 * instead, which measures beside the same two a minimal hand-written ring doing the work the copy path
 * must do per message (record rules, modeled time, stats, checks), and reports that ring against the floor
 * and the copy path against that ring at both readings: what the floor's levels leave to the copy path's
 * own structure.
 *
 * <p>Usage: {@code RoundTripRatio [--anatomy] [forks] [results.json]} (10 forks by default; the JSON is
 * JMH's own).
 */
public final class RoundTripRatio {

    /** The section 4 target: the copy path's round trip at most this many times the floor's. */
    static final double TARGET = 1.5;
    /** An iteration is at the fast placement when its floor is at most this many times the run's lowest. */
    static final double FAST_PLACEMENT = 1.5;
    /**
     * An iteration is at the floor's lowest level when its floor is at most this many times the run's lowest:
     * within a fast fork the floor toggles between two levels about 15 % apart while the copy path stays put.
     */
    static final double LOWEST_LEVEL = 1.1;
    private static final int DEFAULT_FORKS = 10;

    private RoundTripRatio() {
    }

    /**
     * One measured iteration: the floor's, the copy path's and (from the anatomy benchmark, else NaN) the
     * minimal ring's host nanoseconds per round trip.
     */
    record Iteration(int fork, double floorNs, double copyNs, double ringNs) {
        /** An iteration of {@link CopyRoundTripBenchmark}, which runs no minimal ring. */
        Iteration(int fork, double floorNs, double copyNs) {
            this(fork, floorNs, copyNs, Double.NaN);
        }

        double ratio() {
            return copyNs / floorNs;
        }

        double ringOverFloor() {
            return ringNs / floorNs;
        }

        double copyOverRing() {
            return copyNs / ringNs;
        }
    }

    /** Runs the forks and prints the summary; see the class comment for the arguments. */
    public static void main(String[] arguments) {
        boolean anatomy = arguments.length > 0 && arguments[0].equals("--anatomy");
        String[] args = anatomy ? Arrays.copyOfRange(arguments, 1, arguments.length) : arguments;
        if (args.length > 2 || (args.length > 0 && args[0].startsWith("-"))) {
            fail("expected [--anatomy] [forks] [results.json], got '" + String.join(" ", arguments) + "'");
        }
        int forks = DEFAULT_FORKS;
        if (args.length > 0) {
            try {
                forks = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                fail("forks must be a whole number, got '" + args[0] + "'");
            }
            if (forks < 1) {
                fail("forks must be at least 1, got " + forks);
            }
        }
        Class<?> benchmark = anatomy ? RoundTripAnatomyBenchmark.class : CopyRoundTripBenchmark.class;
        String floorMetric = anatomy ? "floorNs" : "bareNs";
        OptionsBuilder options = new OptionsBuilder();
        options.include(Pattern.quote(benchmark.getName() + ".interleaved") + "$").forks(forks);
        if (anatomy) {
            options.param("level", "4");
        }
        if (args.length > 1) {
            options.resultFormat(ResultFormatType.JSON).result(args[1]);
        }
        Collection<RunResult> runs = List.of();
        try {
            runs = new Runner(options.build()).run();
        } catch (RunnerException e) {
            fail("the JMH run failed: " + e.getMessage());
        }
        List<Iteration> iterations = new ArrayList<>();
        for (RunResult run : runs) {
            int fork = 0;
            for (BenchmarkResult forkResult : run.getBenchmarkResults()) {
                fork++;
                for (IterationResult iteration : forkResult.getIterationResults()) {
                    iterations.add(new Iteration(fork, score(iteration, floorMetric), score(iteration, "copyNs"),
                            anatomy ? score(iteration, "ringNs") : Double.NaN));
                }
            }
        }
        System.out.println();
        System.out.print(summary(iterations, forks));
    }

    private static double score(IterationResult iteration, String name) {
        Result<?> result = iteration.getSecondaryResults().get(name);
        if (result == null) {
            throw new IllegalStateException("the benchmark's interleaved run reported no " + name);
        }
        return result.getScore();
    }

    /** The per-fork table and the verdict on {@link #TARGET}, over {@code iterations} from {@code forks} forks. */
    static String summary(List<Iteration> iterations, int forks) {
        StringBuilder out = new StringBuilder();
        double lowestFloorNs = iterations.stream().mapToDouble(Iteration::floorNs).filter(Double::isFinite).min()
                .orElse(Double.NaN);
        // An iteration with no turns measured reports NaN, and belongs to neither placement.
        List<Iteration> fast = iterations.stream().filter(i -> i.floorNs() <= FAST_PLACEMENT * lowestFloorNs).toList();
        List<Iteration> slow = iterations.stream().filter(i -> i.floorNs() > FAST_PLACEMENT * lowestFloorNs).toList();
        out.append(String.format(Locale.ROOT, "%-5s %-10s %-10s %-10s %s%n", "fork", "fast its", "floor ns",
                "copy ns", "copy/floor"));
        List<Double> forkRatios = new ArrayList<>();
        for (int fork = 1; fork <= forks; fork++) {
            int f = fork;
            List<Iteration> mine = fast.stream().filter(i -> i.fork() == f).toList();
            if (mine.isEmpty()) {
                out.append(String.format(Locale.ROOT, "%-5d %-10d (all at the slow placement)%n", fork, 0));
                continue;
            }
            double ratio = median(mine, Iteration::ratio);
            forkRatios.add(ratio);
            out.append(String.format(Locale.ROOT, "%-5d %-10d %-10.1f %-10.1f %.2f%n", fork, mine.size(),
                    median(mine, Iteration::floorNs), median(mine, Iteration::copyNs), ratio));
        }
        if (fast.isEmpty()) {
            out.append("no iteration measured a finite floor\n");
            return out.toString();
        }
        double ratio = median(fast, Iteration::ratio);
        long forksOver = forkRatios.stream().filter(r -> r > TARGET).count();
        long iterationsOver = fast.stream().filter(i -> i.ratio() > TARGET).count();
        out.append(String.format(Locale.ROOT,
                "fast placement (floor within %.1fx of the lowest, %.1f ns): %d of %d iterations in %d of %d forks%n",
                FAST_PLACEMENT, lowestFloorNs, fast.size(), iterations.size(), forkRatios.size(), forks));
        out.append(String.format(Locale.ROOT,
                "  floor %.1f ns, copy path %.1f ns, copy/floor median %.2f (iterations %.2f-%.2f); over %.1fx: "
                        + "%d of %d iterations, %d of %d forks%n",
                median(fast, Iteration::floorNs), median(fast, Iteration::copyNs), ratio,
                fast.stream().mapToDouble(Iteration::ratio).min().orElseThrow(),
                fast.stream().mapToDouble(Iteration::ratio).max().orElseThrow(), TARGET, iterationsOver, fast.size(),
                forksOver, forkRatios.size()));
        ringLine(out, fast);
        List<Iteration> lowest = fast.stream().filter(i -> i.floorNs() <= LOWEST_LEVEL * lowestFloorNs).toList();
        double lowestRatio = median(lowest, Iteration::ratio);
        out.append(String.format(Locale.ROOT,
                "  at the floor's lowest level (within %.1fx of the lowest): %d iteration%s, floor %.1f ns, copy path "
                        + "%.1f ns, copy/floor median %.2f%n",
                LOWEST_LEVEL, lowest.size(), lowest.size() == 1 ? "" : "s", median(lowest, Iteration::floorNs),
                median(lowest, Iteration::copyNs), lowestRatio));
        ringLine(out, lowest);
        if (slow.isEmpty()) {
            // Nothing tells the placements apart then: on this VM a run of a few forks can land all of them slow.
            out.append("  every iteration sat at one placement; where a host also has a slow one (the floor several "
                    + "times higher and the copy path at about the floor's cost), this may be it: run more forks\n");
        } else {
            out.append(String.format(Locale.ROOT,
                    "slow placement: %d iterations, floor %.1f ns, copy/floor median %.2f%n",
                    slow.size(), median(slow, Iteration::floorNs), median(slow, Iteration::ratio)));
        }
        out.append(String.format(Locale.ROOT,
                "target copy/floor <= %.1f, judged over the fast placement: %s (median %.2f); at the floor's lowest "
                        + "level %s (median %.2f)%n",
                TARGET, verdict(ratio), ratio, lowestRatio <= TARGET ? "within it too" : "over it", lowestRatio));
        return out.toString();
    }

    /** The minimal ring's line for {@code iterations}, if they ran one (the anatomy benchmark's do). */
    private static void ringLine(StringBuilder out, List<Iteration> iterations) {
        if (iterations.stream().anyMatch(i -> Double.isNaN(i.ringNs()))) {
            return;
        }
        out.append(String.format(Locale.ROOT,
                "    minimal ring with the copy path's work %.1f ns: ring/floor median %.2f, copy/ring median %.2f%n",
                median(iterations, Iteration::ringNs), median(iterations, Iteration::ringOverFloor),
                median(iterations, Iteration::copyOverRing)));
    }

    private static String verdict(double ratio) {
        return ratio <= TARGET ? "met" : "missed";
    }

    /** The median of {@code measure} over {@code iterations}, which must not be empty. */
    private static double median(List<Iteration> iterations, ToDoubleFunction<Iteration> measure) {
        return median(iterations.stream().mapToDouble(measure).toArray());
    }

    /** The median of {@code values}, which must not be empty: the mean of the middle two for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void fail(String message) {
        System.err.println("RoundTripRatio: " + message);
        System.exit(2);
    }
}
