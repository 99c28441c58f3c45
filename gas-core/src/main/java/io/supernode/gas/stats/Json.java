package io.supernode.gas.stats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamWriteFeature;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The tool's JSON output: Jackson's streaming generator writing to a string, in one layout shared by
 * everything the tool writes as JSON. A name and its value are separated by {@code ": "}; an object inside an
 * array is one line (a row, as in the CSV files), its entries separated by {@code ", "}; every other
 * object or array puts each entry on its own line, indented by two spaces per level ({@link #writeOneLine}
 * keeps everything on one line instead). For example:
 * <pre>{@code
 * {
 *   "ops": [
 *     {"node": 0, "kind": "LOAD", "ops": 3}
 *   ]
 * }
 * }</pre>
 */
public final class Json {

    /** Plain decimals, never {@code 1E+1}: {@link #writeFixed} keeps the places a reader expects. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private Json() {
    }

    /** Writes one JSON value (usually an object or an array) through a generator. */
    @FunctionalInterface
    public interface Content {

        /**
         * Writes the value.
         *
         * @throws IOException as the generator's methods declare (writing to a string, only on misuse)
         */
        void writeTo(JsonGenerator json) throws IOException;
    }

    /**
     * The value {@code content} writes, in the layout above, with a final line break.
     *
     * @throws IllegalStateException when {@code content} misuses the generator (a value where a name belongs)
     */
    public static String write(Content content) {
        return write(content, false);
    }

    /**
     * The value {@code content} writes on one line, every container laid out as a row, with a final line
     * break: for a single object a reader can {@code grep}.
     *
     * @throws IllegalStateException when {@code content} misuses the generator (a value where a name belongs)
     */
    public static String writeOneLine(Content content) {
        return write(content, true);
    }

    /**
     * Writes {@code value} rounded half-up to {@code places} decimals with its trailing zeros, as
     * {@code String.format("%.4f")} prints it for four places (0.5 is {@code 0.5000}); NaN and the
     * infinities, which JSON cannot hold, are written as {@code null}.
     */
    public static void writeFixed(JsonGenerator json, double value, int places) throws IOException {
        if (Double.isFinite(value)) {
            // valueOf starts from the shortest decimal form of the double, as Formatter does, so the
            // rounding gives the digits %.Nf gives.
            json.writeNumber(BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP));
        } else {
            json.writeNull();
        }
    }

    /** Writes the name {@code name} and {@code value} as {@link #writeFixed} does (null when not finite). */
    public static void writeFixedField(JsonGenerator json, String name, double value, int places) throws IOException {
        json.writeFieldName(name);
        writeFixed(json, value, places);
    }

    private static String write(Content content, boolean oneLine) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.setPrettyPrinter(new Layout(oneLine));
            content.writeTo(json);
        } catch (IOException e) {
            // A StringWriter never fails, so this is the generator refusing a malformed sequence of calls.
            throw new IllegalStateException("malformed JSON output: " + e.getMessage(), e);
        }
        return out.append('\n').toString();
    }

    /**
     * The layout described on {@link Json}. It keeps one frame per open container, so each generator
     * needs its own instance.
     */
    private static final class Layout implements PrettyPrinter {

        /** An open container: whether it is an array and whether it stays on one line. */
        private record Frame(boolean array, boolean oneLine) {
        }

        private final boolean oneLine;
        private final Deque<Frame> open = new ArrayDeque<>();

        Layout(boolean oneLine) {
            this.oneLine = oneLine;
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator json) throws IOException {
            json.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator json) throws IOException {
            start(json, false, '{');
        }

        @Override
        public void writeEndObject(JsonGenerator json, int entries) throws IOException {
            end(json, '}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator json) throws IOException {
            separate(json);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator json) throws IOException {
            json.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator json) throws IOException {
            start(json, true, '[');
        }

        @Override
        public void writeEndArray(JsonGenerator json, int values) throws IOException {
            end(json, ']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator json) throws IOException {
            separate(json);
        }

        @Override
        public void beforeArrayValues(JsonGenerator json) throws IOException {
            first(json);
        }

        @Override
        public void beforeObjectEntries(JsonGenerator json) throws IOException {
            first(json);
        }

        private void start(JsonGenerator json, boolean array, char bracket) throws IOException {
            Frame parent = open.peekLast();
            boolean row = !array && parent != null && parent.array();
            open.addLast(new Frame(array, oneLine || row || (parent != null && parent.oneLine())));
            json.writeRaw(bracket);
        }

        private void first(JsonGenerator json) throws IOException {
            if (!open.getLast().oneLine()) {
                newLine(json, open.size());
            }
        }

        private void separate(JsonGenerator json) throws IOException {
            json.writeRaw(',');
            if (open.getLast().oneLine()) {
                json.writeRaw(' ');
            } else {
                newLine(json, open.size());
            }
        }

        private void end(JsonGenerator json, char bracket) throws IOException {
            // An empty container that spans lines still closes on its own line, as the hand-built output did.
            if (!open.removeLast().oneLine()) {
                newLine(json, open.size());
            }
            json.writeRaw(bracket);
        }

        private static void newLine(JsonGenerator json, int depth) throws IOException {
            json.writeRaw('\n');
            json.writeRaw("  ".repeat(depth));
        }
    }
}
