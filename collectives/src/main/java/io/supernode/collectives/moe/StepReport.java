package io.supernode.collectives.moe;

import io.supernode.gas.stats.Json;

import java.util.List;
import java.util.Locale;

/** Serving-step results as CSV and JSON: one row per EP size and path, all modeled. */
public final class StepReport {

    private static final String COLUMNS = "kind,ranks,transport,step_us,tokens_per_s_per_rank,attention_us,experts_us,"
            + "dispatch_us,combine_us,moe_layer_us,dense_layer_us,head_us,weight_bytes_per_rank,kv_bytes_per_rank,fits";

    private StepReport() {
    }

    /** One line per result under a header. */
    public static String csv(List<StepResult> results) {
        StringBuilder out = new StringBuilder(COLUMNS).append('\n');
        for (StepResult r : results) {
            out.append(String.format(Locale.ROOT, "%s,%d,%s,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.0f,%.0f,%b%n",
                    r.kind().name().toLowerCase(Locale.ROOT), r.ranks(), r.transport().name().toLowerCase(Locale.ROOT),
                    r.stepMicros(), r.tokensPerSecondPerRank(), r.attentionMicros(), r.expertsMicros(),
                    r.dispatchMicros(), r.combineMicros(), r.moeLayerMicros(), r.denseLayerMicros(), r.headMicros(),
                    r.weightBytesPerRank(), r.kvBytesPerRank(), r.fits()));
        }
        return out.toString();
    }

    /** {@code {"results": [ {...}, ... ]}}, the same fields as the CSV. */
    public static String json(List<StepResult> results) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (StepResult r : results) {
                json.writeStartObject();
                json.writeStringField("kind", r.kind().name().toLowerCase(Locale.ROOT));
                json.writeNumberField("ranks", r.ranks());
                json.writeStringField("transport", r.transport().name().toLowerCase(Locale.ROOT));
                Json.writeFixedField(json, "step_us", r.stepMicros(), 3);
                Json.writeFixedField(json, "tokens_per_s_per_rank", r.tokensPerSecondPerRank(), 1);
                Json.writeFixedField(json, "attention_us", r.attentionMicros(), 3);
                Json.writeFixedField(json, "experts_us", r.expertsMicros(), 3);
                Json.writeFixedField(json, "dispatch_us", r.dispatchMicros(), 3);
                Json.writeFixedField(json, "combine_us", r.combineMicros(), 3);
                Json.writeFixedField(json, "moe_layer_us", r.moeLayerMicros(), 3);
                Json.writeFixedField(json, "dense_layer_us", r.denseLayerMicros(), 3);
                Json.writeFixedField(json, "head_us", r.headMicros(), 3);
                Json.writeFixedField(json, "weight_bytes_per_rank", r.weightBytesPerRank(), 0);
                Json.writeFixedField(json, "kv_bytes_per_rank", r.kvBytesPerRank(), 0);
                json.writeBooleanField("fits", r.fits());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
