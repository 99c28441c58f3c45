package io.supernode.gas.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shared JSON layout, the fixed-place numbers and their nulls, read back with Jackson's parser. */
class JsonTest {

    private static void sample(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeNumberField("a", 1);
        json.writeArrayFieldStart("rows");
        for (int x = 1; x <= 2; x++) {
            json.writeStartObject();
            json.writeNumberField("x", x);
            json.writeObjectFieldStart("inner");
            json.writeBooleanField("b", x == 1);
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("empty");
        json.writeEndArray();
        json.writeObjectFieldStart("nested");
        json.writeStringField("s", "t");
        json.writeEndObject();
        json.writeEndObject();
    }

    @Test
    void objectsInArraysAreRowsAndEverythingElseOneEntryPerLine() {
        assertEquals("""
                {
                  "a": 1,
                  "rows": [
                    {"x": 1, "inner": {"b": true}},
                    {"x": 2, "inner": {"b": false}}
                  ],
                  "empty": [
                  ],
                  "nested": {
                    "s": "t"
                  }
                }
                """, Json.write(JsonTest::sample));
    }

    @Test
    void oneLineIsTheSameValueAsARow() throws IOException {
        String line = Json.writeOneLine(JsonTest::sample);
        assertEquals("{\"a\": 1, \"rows\": [{\"x\": 1, \"inner\": {\"b\": true}}, {\"x\": 2, \"inner\": {\"b\": false}}],"
                + " \"empty\": [], \"nested\": {\"s\": \"t\"}}\n", line);
        assertEquals(JsonTrees.parse(Json.write(JsonTest::sample)), JsonTrees.parse(line));
    }

    @Test
    void fixedKeepsThePlacesFormatPrintsAndNonFiniteIsNull() throws IOException {
        double[] values = {0.5, 2.0 / 3, 0.00004, 0.00005, 1.00005, 1234567.49, 1e20, -0.125, 0};
        String text = Json.write(json -> {
            json.writeStartArray();
            for (double v : values) {
                for (int places : new int[] {0, 3, 4}) {
                    Json.writeFixed(json, v, places);
                }
            }
            Json.writeFixed(json, Double.NaN, 4);
            Json.writeFixed(json, Double.POSITIVE_INFINITY, 4);
            Json.writeFixed(json, Double.NEGATIVE_INFINITY, 0);
            json.writeEndArray();
        });
        List<Object> expected = new ArrayList<>();
        for (double v : values) {
            for (int places : new int[] {0, 3, 4}) {
                expected.add(new BigDecimal(String.format(Locale.ROOT, "%." + places + "f", v)));
            }
        }
        expected.addAll(Arrays.asList(null, null, null));
        assertEquals(expected, JsonTrees.parse(text));
        assertEquals("[\n  0.5000\n]\n", Json.write(json -> {
            json.writeStartArray();
            Json.writeFixed(json, 0.5, 4);
            json.writeEndArray();
        }), "trailing zeros are kept, as %.4f prints them");
    }

    @Test
    void fixedFieldWritesNameAndValue() throws IOException {
        String text = Json.writeOneLine(json -> {
            json.writeStartObject();
            Json.writeFixedField(json, "rate", 0.25, 4);
            Json.writeFixedField(json, "none", Double.NaN, 4);
            json.writeEndObject();
        });
        assertEquals("{\"rate\": 0.2500, \"none\": null}\n", text);
        assertEquals(List.of("rate", "none"), List.copyOf(((Map<?, ?>) JsonTrees.parse(text)).keySet()));
    }

    @Test
    void stringsAreEscaped() throws IOException {
        String awkward = "a \"quoted\"\\ name\nwith a line break";
        String text = Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("name", awkward);
            json.writeEndObject();
        });
        assertEquals(Map.of("name", awkward), JsonTrees.parse(text));
    }

    @Test
    void aMalformedSequenceOfCallsIsAnError() {
        assertThrows(IllegalStateException.class, () -> Json.write(json -> {
            json.writeStartObject();
            json.writeNumber(1);
        }));
    }
}
