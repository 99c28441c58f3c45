package io.supernode.kvcache.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.supernode.gas.config.JsonObject;
import io.supernode.kvcache.KvConfigException;
import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.index.BlockHash;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the Mooncake trace format: one JSON object per line with {@code timestamp} (ms from the
 * start), {@code input_length}, {@code output_length} and {@code hash_ids} (one chained hash per
 * 512-token block). Unknown fields are ignored, blank lines skipped. A malformed line is an error
 * naming the file and line, or, when asked, skipped and counted.
 */
public final class MooncakeTraceReader {

    private static final int PROBLEMS_KEPT = 5;
    private static final JsonFactory JSON = new JsonFactory();

    private final boolean skipMalformed;
    private final long salt;
    /** The longest line read: 1 MiB of characters, thousands of times a trace line's length. */
    public static final int MAX_LINE_CHARS = 1 << 20;

    private final int limit;

    /** The latest arrival a line may give: 10^12 ms, about 32 years after the trace starts (A). */
    public static final double MAX_TIMESTAMP_MILLIS = 1e12;
    /** The longest prompt or output a line may give: 16,777,216 tokens (A: far beyond any model's context). */
    public static final int MAX_TOKENS = 1 << 24;

    /**
     * A reader.
     *
     * @param skipMalformed skip and count malformed lines instead of failing on the first
     * @param tenant        a tenant name whose salt goes into every key, or null for none
     * @param limit         read at most this many requests (0 for all)
     */
    public MooncakeTraceReader(boolean skipMalformed, String tenant, int limit) {
        if (limit < 0) {
            throw new KvConfigException("trace limit must be >= 0, got " + limit);
        }
        this.skipMalformed = skipMalformed;
        this.salt = BlockHash.salt(tenant);
        this.limit = limit;
    }

    /**
     * Reads {@code file}.
     *
     * @throws KvConfigException when the file does not exist
     * @throws TraceFormatException on the first malformed line, unless skipping
     */
    public TraceLoad read(Path file) {
        String name = file.toString();
        List<Request> requests = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long lineNumber = 0;
            while ((text = boundedLine(reader, name, lineNumber + 1)) != null && (limit == 0 || requests.size() < limit)) {
                lineNumber++;
                if (requests.size() == GeneratorOptions.MAX_REQUESTS) {
                    throw new TraceFormatException(name, lineNumber, "more than " + GeneratorOptions.MAX_REQUESTS
                            + " requests; read a prefix with a limit");
                }
                if (text.isBlank()) {
                    continue;
                }
                try {
                    requests.add(parse(text, requests.size(), name, lineNumber));
                } catch (TraceFormatException e) {
                    if (!skipMalformed) {
                        throw e;
                    }
                    skipped++;
                    if (problems.size() < PROBLEMS_KEPT) {
                        problems.add(e.getMessage());
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new KvConfigException("trace file '" + name + "' does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace file '" + name + "': " + e.getMessage(), e);
        }
        return new TraceLoad(name, inArrivalOrder(requests), skipped, List.copyOf(problems));
    }

    /**
     * The next line without its terminator, or null at the end of the file. A line longer than
     * {@link #MAX_LINE_CHARS} is refused before it is held in memory (a trace's lines are a few hundred bytes;
     * a file without line breaks would otherwise be read whole).
     */
    private static String boundedLine(BufferedReader reader, String name, long lineNumber) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = reader.read()) != -1) {
            if (c == '\n') {
                return line.toString();
            }
            if (line.length() == MAX_LINE_CHARS) {
                throw new TraceFormatException(name, lineNumber, "line longer than " + MAX_LINE_CHARS + " characters");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static List<Request> inArrivalOrder(List<Request> requests) {
        for (int i = 1; i < requests.size(); i++) {
            if (requests.get(i).arrivalNanos() < requests.get(i - 1).arrivalNanos()) {
                // A stable sort keeps the file's order among equal timestamps; ids follow the new order.
                List<Request> sorted = new ArrayList<>(requests);
                sorted.sort(Comparator.comparingLong(Request::arrivalNanos));
                List<Request> renumbered = new ArrayList<>(sorted.size());
                for (int j = 0; j < sorted.size(); j++) {
                    Request r = sorted.get(j);
                    renumbered.add(new Request(j, r.arrivalNanos(), r.inputTokens(), r.outputTokens(), r.blockKeys(),
                            r.tokens()));
                }
                return List.copyOf(renumbered);
            }
        }
        return List.copyOf(requests);
    }

    private Request parse(String text, long id, String file, long line) {
        double timestampMillis = Double.NaN;
        long input = -1;
        long output = -1;
        LongArrayList hashIds = null;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new TraceFormatException(file, line, "expected a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "timestamp" -> timestampMillis = number(parser, value, field, file, line);
                    case "input_length" -> input = integer(parser, value, field, file, line);
                    case "output_length" -> output = integer(parser, value, field, file, line);
                    case "hash_ids" -> hashIds = ids(parser, value, file, line);
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new TraceFormatException(file, line, "expected one JSON object per line");
            }
        } catch (JsonParseException e) {
            throw new TraceFormatException(file, line, "not JSON: " + firstLine(JsonObject.parserMessage(e)));
        } catch (JsonProcessingException e) {
            throw new TraceFormatException(file, line, "cannot parse: " + firstLine(JsonObject.parserMessage(e)));
        } catch (IOException e) {
            throw new TraceFormatException(file, line, "cannot parse: " + firstLine(e.getMessage()));
        }
        require(!Double.isNaN(timestampMillis), "timestamp", file, line);
        require(input >= 0, "input_length", file, line);
        require(output >= 0, "output_length", file, line);
        require(hashIds != null, "hash_ids", file, line);
        if (!(timestampMillis >= 0) || timestampMillis > MAX_TIMESTAMP_MILLIS) {
            throw new TraceFormatException(file, line, "timestamp must be 0.." + (long) MAX_TIMESTAMP_MILLIS
                    + " ms, got " + timestampMillis);
        }
        if (input < 1 || input > MAX_TOKENS) {
            throw new TraceFormatException(file, line, "input_length must be 1.." + MAX_TOKENS + ", got " + input);
        }
        if (output > MAX_TOKENS) {
            throw new TraceFormatException(file, line, "output_length must be 0.." + MAX_TOKENS + ", got " + output);
        }
        long expectedBlocks = (input + BlockLayout.MOONCAKE_TOKENS_PER_BLOCK - 1) / BlockLayout.MOONCAKE_TOKENS_PER_BLOCK;
        if (hashIds.size() != expectedBlocks) {
            throw new TraceFormatException(file, line, hashIds.size() + " hash_ids for input_length " + input
                    + ": expected " + expectedBlocks + " blocks of " + BlockLayout.MOONCAKE_TOKENS_PER_BLOCK + " tokens");
        }
        long[] ids = hashIds.toArray();
        long[] keys = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            keys[i] = BlockHash.ofTraceId(ids[i], salt);
        }
        return new Request(id, Math.round(timestampMillis * 1e6), (int) input, (int) output, keys,
                new BlockTokens.Derived(ids));
    }

    private static double number(JsonParser parser, JsonToken value, String field, String file, long line)
            throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new TraceFormatException(file, line, field + " must be a number, got " + parser.getText());
        }
        return parser.getDoubleValue();
    }

    private static long integer(JsonParser parser, JsonToken value, String field, String file, long line)
            throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new TraceFormatException(file, line, field + " must be an integer, got " + parser.getText());
        }
        long number = parser.getLongValue();
        if (number < 0) {
            throw new TraceFormatException(file, line, field + " must be >= 0, got " + number);
        }
        return number;
    }

    private static LongArrayList ids(JsonParser parser, JsonToken value, String file, long line) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new TraceFormatException(file, line, "hash_ids must be an array, got " + parser.getText());
        }
        LongArrayList ids = new LongArrayList();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
                throw new TraceFormatException(file, line, "hash_ids must hold non-negative integers, got "
                        + parser.getText());
            }
            ids.add(parser.getLongValue());
        }
        return ids;
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message.strip();
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static void require(boolean present, String field, String file, long line) {
        if (!present) {
            throw new TraceFormatException(file, line, "missing " + field);
        }
    }
}
