package io.supernode.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.supernode.embedding.EmbeddingConfig;
import io.supernode.embedding.EmbeddingSetup;
import io.supernode.embedding.EmbeddingResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's JSON, read back with Jackson's parser: valid, with its keys in order and its figures. */
class JsonOutputTest {

    /** The one value {@code text} holds: objects as maps in order, arrays as lists, numbers as BigDecimal. */
    private static Object parse(String text) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(text)) {
            parser.nextToken();
            Object value = read(parser);
            assertNull(parser.nextToken(), "text after the value");
            return value;
        }
    }

    private static Object read(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> members = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    members.put(name, read(parser));
                }
                yield members;
            }
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser));
                }
                yield items;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + parser.currentToken());
        };
    }

    private static EmbeddingResult result(EmbeddingSetup path, long cacheBytes, double hitRate, double imbalance) {
        return new EmbeddingResult(path, cacheBytes, 3, 40_960, 2_000_000, 12_345, 16_384, 1_048_576, 65_536, 0, 56,
                hitRate, imbalance, 0xabcdefL);
    }

    @Test
    void embeddingJsonParsesBackWithNullForNonFiniteFigures() throws IOException {
        String text = EmbeddingCommand.json(EmbeddingConfig.DEFAULT, List.of(
                result(EmbeddingSetup.UNIFIED, 0, Double.NaN, 1.23456),
                result(EmbeddingSetup.UNIFIED_CACHED, 4 << 20, 0.75, Double.POSITIVE_INFINITY),
                result(EmbeddingSetup.COPY, 0, Double.NaN, 1)));
        Map<?, ?> root = (Map<?, ?>) parse(text);
        assertEquals(List.of("nodes", "tables", "rows_per_table", "dim", "global_batch", "bag_size", "zipf", "sharding",
                "pooling", "dedup", "training", "optimizer", "learning_rate", "fabric", "seed", "paths"),
                List.copyOf(root.keySet()));
        assertEquals(new BigDecimal("1.1"), root.get("zipf"));
        assertEquals(new BigDecimal("0.05"), root.get("learning_rate"), "the float as it prints, not widened to double");
        assertEquals(false, root.get("dedup"));
        assertEquals("UB_VS_ROCE", root.get("fabric"));
        List<?> paths = (List<?>) root.get("paths");
        assertEquals(3, paths.size());
        Map<?, ?> unified = (Map<?, ?>) paths.get(0);
        assertEquals(List.of("path", "cache_bytes_per_node", "id_bytes_per_step", "row_bytes_per_step",
                "pooled_bytes_per_step", "update_bytes_per_step", "messages_per_step", "modeled_step_ns", "cache_hit_rate",
                "imbalance", "host_ns", "lookups_per_host_second", "output_digest"), List.copyOf(unified.keySet()));
        assertNull(unified.get("cache_hit_rate"), "no cache, no hit rate");
        assertEquals(new BigDecimal("1.2346"), unified.get("imbalance"));
        assertEquals(new BigDecimal("61440000"), unified.get("lookups_per_host_second"));
        assertEquals("abcdef", unified.get("output_digest"));
        Map<?, ?> cached = (Map<?, ?>) paths.get(1);
        assertEquals(new BigDecimal("0.7500"), cached.get("cache_hit_rate"));
        assertTrue(cached.containsKey("imbalance"));
        assertNull(cached.get("imbalance"), "an infinite figure is null, JSON having no infinity");
        assertTrue(text.contains("\n    {\"path\": \"unified\", \"cache_bytes_per_node\": 0, "), "one line per path: " + text);
    }

    @Test
    void infoJsonIsOneLineThatParsesBack() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SupernodeCli.execute(new String[] {"info", "--preset", "small", "--json"}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        assertEquals(1, out.toString().lines().count(), out.toString());
        Map<?, ?> info = (Map<?, ?>) parse(out.toString());
        assertEquals(List.of("preset", "nodes", "groups", "nodes_per_group", "link_profile", "memory_bytes_per_node",
                "nominal_memory_bytes", "page_bytes", "links", "boot_ns", "resident_bytes"), List.copyOf(info.keySet()));
        assertEquals("small", info.get("preset"));
        assertTrue(out.toString().startsWith("{\"preset\": \"small\", \"nodes\": "), out.toString());
    }
}
