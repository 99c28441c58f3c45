package io.supernode.kvcache.serve;

import io.supernode.gas.stats.Units;
import io.supernode.kvcache.KvNames;

import java.util.List;
import java.util.Locale;

/** Replay results as CSV, JSON and markdown, one row per replay, with units in the column names. */
public final class ReplayReport {

    private static final String[] COLUMNS = {"path", "router", "placement", "nodes", "capacity_tokens_per_node",
        "fabric", "profile", "requests", "blocks", "block_hit_rate", "token_hit_rate", "local_hits", "remote_hits",
        "cost_rejected", "prefill_tokens_saved", "ttft_p50_ms", "ttft_p90_ms", "ttft_p99_ms", "ttft_mean_ms",
        "end_to_end_mean_ms", "fabric_bytes", "messages", "payload_bytes", "replicas", "evictions",
        "requests_per_s", "input_tokens_per_s", "host_ms", "output_digest"};

    private ReplayReport() {
    }

    /** Every result as CSV with a header row. */
    public static String csv(List<ReplayResult> results) {
        StringBuilder out = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (ReplayResult r : results) {
            out.append(String.join(",", values(r))).append('\n');
        }
        return out.toString();
    }

    /** Every result as a JSON array of objects, with the TTFT distribution as percentiles. */
    public static String json(List<ReplayResult> results) {
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < results.size(); i++) {
            String[] values = values(results.get(i));
            out.append("  {");
            for (int c = 0; c < COLUMNS.length; c++) {
                boolean text = c < 3 || c == 5 || c == 6 || c == COLUMNS.length - 1;
                out.append(c == 0 ? "" : ", ").append('"').append(COLUMNS[c]).append("\": ")
                        .append(text ? '"' + values[c] + '"' : values[c]);
            }
            out.append('}').append(i + 1 < results.size() ? "," : "").append('\n');
        }
        return out.append("]\n").toString();
    }

    /** A markdown table of the headline figures. */
    public static String markdown(List<ReplayResult> results) {
        StringBuilder out = new StringBuilder(
                "| path | block hits | prefill saved | TTFT p50 | TTFT p99 | fabric bytes | messages | host |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ReplayResult r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f ms | %.1f ms | %s | %d | %.1f s |%n",
                    r.options().path().label(), 100 * r.blockHitRate(), 100 * r.tokenHitRate(),
                    r.ttftQuantileNanos(0.5) / 1e6, r.ttftQuantileNanos(0.99) / 1e6, Units.decimalBytes(r.fabricBytes()),
                    r.messages(), r.hostNanos() / 1e9));
        }
        return out.toString();
    }

    private static String[] values(ReplayResult r) {
        ReplayOptions o = r.options();
        return new String[] {o.path().label(), KvNames.label(o.router()), KvNames.label(o.placement()),
            Integer.toString(o.nodes()), Long.toString(o.capacityTokensPerNode()), o.pair().name(), o.profile().name(),
            Integer.toString(r.requests()), Long.toString(r.blocks()), fixed(r.blockHitRate()),
            fixed(r.tokenHitRate()), Long.toString(r.localHits()), Long.toString(r.remoteHits()),
            Long.toString(r.costRejected()), Long.toString(r.hitTokens()), millis(r.ttftQuantileNanos(0.5)),
            millis(r.ttftQuantileNanos(0.9)), millis(r.ttftQuantileNanos(0.99)), millis(r.meanTtftNanos()),
            millis(r.meanEndToEndNanos()), Long.toString(r.fabricBytes()), Long.toString(r.messages()),
            Long.toString(r.payloadBytes()), Long.toString(r.replicas()), Long.toString(r.evictions()),
            fixed(r.requestsPerSecond()), fixed(r.inputTokensPerSecond()), millis(r.hostNanos()),
            Long.toHexString(r.outputDigest())};
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
