package io.supernode.kvcache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayReport;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ReplayResult.BlockReuse;
import io.supernode.kvcache.serve.ReplayResult.FabricTraffic;
import io.supernode.kvcache.serve.ReplayResult.ModeledTimes;
import io.supernode.kvcache.serve.ReplayResult.PoolChurn;
import io.supernode.kvcache.serve.ServingSetup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay JSON parses back with Jackson's parser, with the CSV's columns, in order, and its figures. */
class ReplayReportTest {

    private static ReplayResult result(ServingSetup path) {
        return new ReplayResult(ReplayOptions.builder().path(path).build(), "test", 2,
                new BlockReuse(4, 1, 1, 0, 0, 1000, 500), new FabricTraffic(65_536, 0, 0, 3, 8192), new PoolChurn(0, 0, 2, 0),
                new ModeledTimes(new long[] {1_500_000, 2_250_000}, new long[] {5_000_000}, new long[0], 3_000_000, 1_000_000_000),
                List.of(), 200, 12_345_678, new long[] {1, 2});
    }

    /** The array of row objects {@code text} holds; numbers as BigDecimal, so their places show. */
    private static List<Map<String, Object>> parseRows(String text) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            assertEquals(JsonToken.START_ARRAY, parser.nextToken());
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                Map<String, Object> row = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    row.put(name, value == JsonToken.VALUE_STRING ? parser.getText() : parser.getDecimalValue());
                }
                rows.add(row);
            }
            assertEquals(JsonToken.END_ARRAY, parser.currentToken());
            assertNull(parser.nextToken(), "text after the array");
        }
        return rows;
    }

    @Test
    void jsonHasTheCsvColumnsAndFigures() throws IOException {
        List<ReplayResult> results = List.of(result(ServingSetup.POOLED_UNIFIED), result(ServingSetup.POOLED_COPY));
        List<Map<String, Object>> rows = parseRows(ReplayReport.json(results));
        String[] csv = ReplayReport.csv(results).split("\n");
        List<String> header = List.of(csv[0].split(","));
        assertEquals(2, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            assertEquals(header, List.copyOf(row.keySet()));
            String[] fields = csv[i + 1].split(",");
            for (int c = 0; c < fields.length; c++) {
                Object value = row.get(header.get(c));
                assertEquals(fields[c], value instanceof BigDecimal d ? d.toPlainString() : value,
                        header.get(c) + " reads the same in JSON as in the CSV");
            }
        }
        Map<String, Object> copy = rows.get(1);
        assertEquals("pooled-copy", copy.get("path"));
        assertEquals(new BigDecimal("0.5000"), copy.get("block_hit_rate"));
        assertEquals(new BigDecimal("1.500"), copy.get("ttft_p50_ms"));
        assertEquals(new BigDecimal("12.346"), copy.get("host_ms"));
        assertEquals(new BigDecimal("2.0000"), copy.get("requests_per_s"));
    }

    @Test
    void jsonLaysOutOneRowPerLine() throws IOException {
        String json = ReplayReport.json(List.of(result(ServingSetup.LOCAL_ONLY), result(ServingSetup.POOLED_COPY)));
        List<String> lines = json.lines().toList();
        assertEquals(4, lines.size(), json);
        assertEquals("[", lines.getFirst());
        assertEquals("]", lines.getLast());
        assertTrue(lines.get(1).startsWith("  {\"path\": \"local-only\", \"router\": \""), lines.get(1));
        assertTrue(lines.get(1).endsWith("\"},"), lines.get(1));
        assertEquals(List.of(), parseRows(ReplayReport.json(List.of())));
        assertEquals("[\n]\n", ReplayReport.json(List.of()));
    }
}
