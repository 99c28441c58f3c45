package io.supernode.collectives.run;

import io.supernode.gas.stats.Json;

import java.util.List;
import java.util.Locale;

/** A sweep's results as CSV and JSON: one row per size and transport, modeled time and host time apart. */
public final class CollectiveReport {

    private static final String COLUMNS = "op,transport,ranks,size_bytes,count,type,redop,root,algorithm,protocol,"
            + "modeled_us,algbw_gbps,busbw_gbps,wrong,moved_count,capped,slice_bytes,fabric_bytes,host_ms";

    private CollectiveReport() {
    }

    /** One line per result under a header. */
    public static String csv(List<CollectiveResult> results) {
        StringBuilder out = new StringBuilder(COLUMNS).append('\n');
        for (CollectiveResult r : results) {
            out.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%s,%s,%d,%s,%s,%.3f,%.3f,%.3f,%d,%d,%b,%d,%d,%.3f%n",
                    r.spec().op().ncclName(), r.transport().name().toLowerCase(Locale.ROOT), r.ranks(), r.spec().sizeBytes(),
                    r.count(), r.spec().type().ncclName(), r.spec().redop().ncclName(), r.spec().root(),
                    r.algorithm().name().toLowerCase(Locale.ROOT), r.protocol().name(), r.modeledNanos() / 1e3,
                    r.algBwGBps(), r.busBwGBps(), r.wrong(), r.movedCount(), r.capped(), r.sliceBytes(),
                    r.fabricBytes(), r.hostNanos() / 1e6));
        }
        return out.toString();
    }

    /** {@code {"results": [ {...}, ... ]}}, the same fields as the CSV. */
    public static String json(List<CollectiveResult> results) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("results");
            for (CollectiveResult r : results) {
                json.writeStartObject();
                json.writeStringField("op", r.spec().op().ncclName());
                json.writeStringField("transport", r.transport().name().toLowerCase(Locale.ROOT));
                json.writeNumberField("ranks", r.ranks());
                json.writeNumberField("size_bytes", r.spec().sizeBytes());
                json.writeNumberField("count", r.count());
                json.writeStringField("type", r.spec().type().ncclName());
                json.writeStringField("redop", r.spec().redop().ncclName());
                json.writeNumberField("root", r.spec().root());
                json.writeStringField("algorithm", r.algorithm().name().toLowerCase(Locale.ROOT));
                json.writeStringField("protocol", r.protocol().name());
                Json.writeFixedField(json, "modeled_us", r.modeledNanos() / 1e3, 3);
                Json.writeFixedField(json, "algbw_gbps", r.algBwGBps(), 3);
                Json.writeFixedField(json, "busbw_gbps", r.busBwGBps(), 3);
                json.writeNumberField("wrong", r.wrong());
                json.writeNumberField("moved_count", r.movedCount());
                json.writeBooleanField("capped", r.capped());
                json.writeNumberField("slice_bytes", r.sliceBytes());
                json.writeNumberField("fabric_bytes", r.fabricBytes());
                Json.writeFixedField(json, "host_ms", r.hostNanos() / 1e6, 3);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
