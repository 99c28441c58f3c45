package io.supernode.kvcache.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import io.supernode.gas.stats.Json;
import io.supernode.gas.stats.Units;
import io.supernode.kvcache.KvNames;
import io.supernode.kvcache.tier.Tier;
import io.supernode.kvcache.tier.TierUse;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Replay results as CSV, JSON and markdown, one row per replay, with units in the column names. */
public final class ReplayReport {

    /** One figure of a result, typed so that JSON gets strings and numbers where the CSV gets text. */
    private interface Cell {

        /** The cell as a CSV field. */
        String csv();

        /** Writes the cell as a JSON value. */
        void writeTo(JsonGenerator json) throws IOException;
    }

    private record Text(String value) implements Cell {
        @Override
        public String csv() {
            return value;
        }

        @Override
        public void writeTo(JsonGenerator json) throws IOException {
            json.writeString(value);
        }
    }

    private record Whole(long value) implements Cell {
        @Override
        public String csv() {
            return Long.toString(value);
        }

        @Override
        public void writeTo(JsonGenerator json) throws IOException {
            json.writeNumber(value);
        }
    }

    /** A decimal with a fixed number of places in both formats (JSON null if it were not finite). */
    private record Decimal(double value, int places) implements Cell {
        @Override
        public String csv() {
            return String.format(Locale.ROOT, "%." + places + "f", value);
        }

        @Override
        public void writeTo(JsonGenerator json) throws IOException {
            Json.writeFixed(json, value, places);
        }
    }

    /** A column: its name, with its unit, and its cell in a result. */
    private record Column(String name, Function<ReplayResult, Cell> cell) {
    }

    private static final List<Column> COLUMNS = List.of(
            text("path", r -> r.options().path().label()),
            text("router", r -> KvNames.label(r.options().router())),
            text("placement", r -> KvNames.label(r.options().placement())),
            whole("nodes", r -> r.options().nodes()),
            whole("capacity_tokens_per_node", r -> r.options().capacityTokensPerNode()),
            whole("dram_tokens_per_node", r -> r.options().dramTokensPerNode()),
            whole("ssd_tokens_per_node", r -> r.options().ssdTokensPerNode()),
            text("fabric", r -> r.options().pair().name()),
            text("profile", r -> r.options().profile().name()),
            whole("token_budget", r -> r.options().tokenBudget()),
            whole("prefill_nodes", r -> r.options().prefillNodes()),
            whole("requests", ReplayResult::requests),
            whole("blocks", r -> r.reuse().blocks()),
            decimal("block_hit_rate", r -> r.reuse().blockHitRate()),
            decimal("token_hit_rate", r -> r.reuse().tokenHitRate()),
            whole("local_hits", r -> r.reuse().localHits()),
            whole("remote_hits", r -> r.reuse().remoteHits()),
            whole("dram_hits", r -> tierHits(r, Tier.DRAM)),
            whole("ssd_hits", r -> tierHits(r, Tier.SSD)),
            whole("cost_rejected", r -> r.reuse().costRejected()),
            whole("prefill_tokens_saved", r -> r.reuse().hitTokens()),
            millis("ttft_p50_ms", r -> r.modeled().ttftQuantileNanos(0.5)),
            millis("ttft_p90_ms", r -> r.modeled().ttftQuantileNanos(0.9)),
            millis("ttft_p99_ms", r -> r.modeled().ttftQuantileNanos(0.99)),
            millis("ttft_mean_ms", r -> r.modeled().meanTtftNanos()),
            millis("tbt_p50_ms", r -> r.modeled().tbtQuantileNanos(0.5)),
            millis("tbt_p99_ms", r -> r.modeled().tbtQuantileNanos(0.99)),
            millis("end_to_end_mean_ms", r -> r.modeled().meanEndToEndNanos()),
            millis("kv_transfer_p50_ms", r -> r.modeled().kvTransferQuantileNanos(0.5)),
            whole("fabric_bytes", r -> r.traffic().fabricBytes()),
            whole("scale_up_bytes", r -> r.traffic().scaleUpBytes()),
            whole("scale_out_bytes", r -> r.traffic().scaleOutBytes()),
            whole("host_link_bytes", r -> r.traffic().hostLinkBytes()),
            whole("messages", r -> r.traffic().messages()),
            whole("payload_bytes", r -> r.traffic().payloadBytes()),
            whole("replicas", r -> r.churn().replicas()),
            whole("evictions", r -> r.churn().evictions()),
            whole("diverted", r -> r.churn().diverted()),
            decimal("requests_per_s", ReplayResult::requestsPerSecond),
            decimal("input_tokens_per_s", ReplayResult::inputTokensPerSecond),
            decimal("input_tokens_per_s_per_accelerator", ReplayResult::inputTokensPerSecondPerAccelerator),
            decimal("output_tokens_per_s_per_accelerator", ReplayResult::outputTokensPerSecondPerAccelerator),
            millis("host_ms", ReplayResult::hostNanos),
            text("output_digest", r -> Long.toHexString(r.outputDigest())));

    private ReplayReport() {
    }

    /** Every result as CSV with a header row. */
    public static String csv(List<ReplayResult> results) {
        StringBuilder out = new StringBuilder(COLUMNS.stream().map(Column::name).collect(Collectors.joining(",")))
                .append('\n');
        for (ReplayResult r : results) {
            out.append(COLUMNS.stream().map(c -> c.cell().apply(r).csv()).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    /**
     * Every result as a JSON array of objects, one per line, with the TTFT distribution as percentiles:
     * rates with four decimals, milliseconds with three, as in the CSV.
     */
    public static String json(List<ReplayResult> results) {
        return Json.write(json -> {
            json.writeStartArray();
            for (ReplayResult r : results) {
                json.writeStartObject();
                for (Column c : COLUMNS) {
                    json.writeFieldName(c.name());
                    c.cell().apply(r).writeTo(json);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    /** A markdown table of the headline figures. */
    public static String markdown(List<ReplayResult> results) {
        StringBuilder out = new StringBuilder(
                "| path | block hits | prefill saved | TTFT p50 | TTFT p99 | fabric bytes | messages | host |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ReplayResult r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.1f ms | %.1f ms | %s | %d | %.1f s |%n",
                    r.options().path().label(), 100 * r.reuse().blockHitRate(), 100 * r.reuse().tokenHitRate(),
                    r.modeled().ttftQuantileNanos(0.5) / 1e6, r.modeled().ttftQuantileNanos(0.99) / 1e6,
                    Units.decimalBytes(r.traffic().fabricBytes()), r.traffic().messages(), r.hostNanos() / 1e9));
        }
        return out.toString();
    }

    /** Prompt blocks served from {@code tier}: 0 when the replay had no such tier. */
    private static long tierHits(ReplayResult r, Tier tier) {
        return r.tiers().stream().filter(u -> u.tier() == tier).mapToLong(TierUse::hits).sum();
    }

    private static Column text(String name, Function<ReplayResult, String> value) {
        return new Column(name, r -> new Text(value.apply(r)));
    }

    private static Column whole(String name, ToLongFunction<ReplayResult> value) {
        return new Column(name, r -> new Whole(value.applyAsLong(r)));
    }

    /** A rate or a fraction, with four decimals. */
    private static Column decimal(String name, ToDoubleFunction<ReplayResult> value) {
        return new Column(name, r -> new Decimal(value.applyAsDouble(r), 4));
    }

    /** Nanoseconds shown as milliseconds with three decimals. */
    private static Column millis(String name, ToLongFunction<ReplayResult> nanos) {
        return new Column(name, r -> new Decimal(nanos.applyAsLong(r) / 1e6, 3));
    }
}
