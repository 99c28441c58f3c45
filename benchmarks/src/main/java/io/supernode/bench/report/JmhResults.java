package io.supernode.bench.report;

import io.supernode.gas.config.JsonObject;
import io.supernode.gas.fault.ConfigFault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of a JMH run written with {@code -rf json}: one score per benchmark and parameter set.
 *
 * @param source the file read
 * @param scores every benchmark's score
 */
public record JmhResults(String source, List<Score> scores) {

    /**
     * One benchmark's primary metric.
     *
     * @param benchmark the benchmark method, e.g. {@code io.supernode.bench.ScalarLoadBenchmark.unifiedLoad}
     * @param params    its parameters, e.g. {@code size=4096}, or empty
     * @param mode      JMH's mode, e.g. {@code avgt}
     * @param score     the mean
     * @param error     the 99.9 % confidence half-width (NaN with one iteration)
     * @param unit      e.g. {@code ns/op}
     */
    public record Score(String benchmark, String params, String mode, double score, double error, String unit) {

        /** The value of parameter {@code key} in {@link #params}, or an empty string when the run has none. */
        public String param(String key) {
            for (String pair : params.split(", ")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals(key)) {
                    return pair.substring(eq + 1);
                }
            }
            return "";
        }

        /** The score in ns per operation, from a score in ns/op, us/op, ms/op or s/op; NaN for other units. */
        public double nanos() {
            return switch (unit) {
                case "ns/op" -> score;
                case "us/op" -> score * 1e3;
                case "ms/op" -> score * 1e6;
                case "s/op" -> score * 1e9;
                default -> Double.NaN;
            };
        }

        /** The class and method without the package. */
        public String shortName() {
            String[] parts = benchmark.split("\\.");
            return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @throws ConfigFault naming the file when it is missing or is not JMH's JSON
     */
    public static JmhResults read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFault(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigFault(file + ": cannot read (" + e.getMessage() + ")");
        }
        // JMH writes a top-level array; wrapping it lets the object reader parse it with the same error messages.
        JsonObject wrapped = JsonObject.parse("{\"runs\": " + text + "}", file.toString());
        if (!(wrapped.get("runs") instanceof List<?> runs)) {
            throw new ConfigFault(file + ": not JMH JSON (expected an array of runs)");
        }
        List<Score> scores = new ArrayList<>();
        for (Object run : runs) {
            if (!(run instanceof JsonObject r) || !(r.get("primaryMetric") instanceof JsonObject metric)) {
                throw new ConfigFault(file + ": not JMH JSON (a run without a primaryMetric)");
            }
            StringBuilder params = new StringBuilder();
            if (r.get("params") instanceof JsonObject p) {
                p.keys().forEach(k -> params.append(params.isEmpty() ? "" : ", ").append(k).append('=').append(p.get(k)));
            }
            Object error = metric.get("scoreError");
            scores.add(new Score(r.string("benchmark", "?"), params.toString(), r.string("mode", "?"), metric.number("score", Double.NaN),
                    error instanceof Number n ? n.doubleValue() : Double.NaN, metric.string("scoreUnit", "?")));
        }
        return new JmhResults(file.toString(), List.copyOf(scores));
    }
}
