package io.supernode.collectives.moe;

import io.supernode.gas.stats.Json;

import java.util.List;
import java.util.Locale;

/** Expert-parallel results as CSV and JSON: one row per run, modeled time and host time apart. */
public final class MoeReport {

    private static final String COLUMNS = "mode,transport,ranks,route,tokens_per_rank,hidden,top_k,experts,routing,"
            + "dispatch_format,dispatch_us,dispatch_max_us,dispatch_gbps,combine_us,combine_max_us,combine_gbps,"
            + "bandwidth_counts,dispatch_local_bytes,dispatch_in_group_bytes,dispatch_between_groups_bytes,"
            + "dispatch_messages,combine_messages,real_tokens,wrong,fabric_bytes,host_ms";

    private MoeReport() {
    }

    /** One line per result under a header. */
    public static String csv(List<MoeResult> results) {
        StringBuilder out = new StringBuilder(COLUMNS).append('\n');
        for (MoeResult r : results) {
            MoeSpec s = r.spec();
            out.append(String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%d,%d,%d,%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,\"%s\","
                            + "%d,%d,%d,%d,%d,%d,%d,%d,%.3f%n", s.mode().label(), transport(r), r.ranks(), route(r),
                    s.tokensPerRank(), s.hidden(), s.topK(), s.experts(), s.routing().label(), s.format().label(),
                    r.dispatch().meanNanos() / 1e3, r.dispatch().maxNanos() / 1e3, r.dispatch().gbPerSecond(),
                    r.combine().meanNanos() / 1e3, r.combine().maxNanos() / 1e3, r.combine().gbPerSecond(),
                    r.bandwidthDefinition(), r.dispatch().localBytes(), r.dispatch().sameGroupBytes(),
                    r.dispatch().crossGroupBytes(), r.dispatch().messages(), r.combine().messages(), r.realTokens(),
                    r.wrong(), r.fabricBytes(), r.hostNanos() / 1e6));
        }
        return out.toString();
    }

    /** {@code {"results": [ {...}, ... ]}}, the same fields as the CSV. */
    public static String json(List<MoeResult> results) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (MoeResult r : results) {
                MoeSpec s = r.spec();
                json.writeStartObject();
                json.writeStringField("mode", s.mode().label());
                json.writeStringField("transport", transport(r));
                json.writeNumberField("ranks", r.ranks());
                json.writeStringField("route", route(r));
                json.writeNumberField("tokens_per_rank", s.tokensPerRank());
                json.writeNumberField("hidden", s.hidden());
                json.writeNumberField("top_k", s.topK());
                json.writeNumberField("experts", s.experts());
                json.writeStringField("routing", s.routing().label());
                json.writeStringField("dispatch_format", s.format().label());
                phase(json, "dispatch", r.dispatch());
                phase(json, "combine", r.combine());
                json.writeStringField("bandwidth_counts", r.bandwidthDefinition());
                json.writeNumberField("real_tokens", r.realTokens());
                json.writeNumberField("wrong", r.wrong());
                json.writeNumberField("fabric_bytes", r.fabricBytes());
                Json.writeFixedField(json, "host_ms", r.hostNanos() / 1e6, 3);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void phase(com.fasterxml.jackson.core.JsonGenerator json, String name, MoePhase p)
            throws java.io.IOException {
        Json.writeFixedField(json, name + "_us", p.meanNanos() / 1e3, 3);
        Json.writeFixedField(json, name + "_max_us", p.maxNanos() / 1e3, 3);
        Json.writeFixedField(json, name + "_gbps", p.gbPerSecond(), 3);
        json.writeNumberField(name + "_local_bytes", p.localBytes());
        json.writeNumberField(name + "_in_group_bytes", p.sameGroupBytes());
        json.writeNumberField(name + "_between_groups_bytes", p.crossGroupBytes());
        json.writeNumberField(name + "_messages", p.messages());
    }

    /** The transport's name as the command line takes it. */
    public static String transport(MoeResult r) {
        return r.transport().name().toLowerCase(Locale.ROOT);
    }

    /** How normal mode travelled: {@code forwarded} through a forwarder per server, {@code direct} otherwise. */
    public static String route(MoeResult r) {
        return r.hierarchical() ? "forwarded" : "direct";
    }
}
