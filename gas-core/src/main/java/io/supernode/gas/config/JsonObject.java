package io.supernode.gas.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.supernode.gas.fault.ConfigFault;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One JSON object of a configuration file, read whole, with typed getters whose errors name the file and
 * the key. Values are {@code String}, {@code Number}, {@code Boolean}, {@code List} or a nested
 * {@code JsonObject}; keys keep the file's order.
 *
 * @param source  the file (or other origin) named in errors
 * @param members the object's keys and values
 */
public record JsonObject(String source, Map<String, Object> members) {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Copies the members so the object cannot change under its reader. */
    public JsonObject {
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    /** The largest JSON file read: 1 MiB (A: machine and option files are a few KiB). */
    public static final int MAX_FILE_BYTES = 1 << 20;

    /**
     * Reads a file holding one JSON object, of at most {@link #MAX_FILE_BYTES}.
     *
     * @throws ConfigFault when the file is missing, a directory, unreadable or too large, is not JSON, or
     *         holds something else
     */
    public static JsonObject read(Path file) {
        return read(file, false);
    }

    /**
     * As {@link #read(Path)}; with {@code nullIsAbsent} a member set to {@code null} is taken as left out, as a file
     * written by another tool (a model's {@code config.json}) may give it, instead of refused.
     */
    public static JsonObject read(Path file, boolean nullIsAbsent) {
        if (file.toString().isEmpty()) {
            throw new ConfigFault("no file named: the path is empty");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigFault(file + ": is a directory, not a JSON file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new ConfigFault(file + ": larger than " + MAX_FILE_BYTES + " bytes; not a machine or option file");
            }
            return parse(new String(bytes, StandardCharsets.UTF_8), file.toString(), nullIsAbsent);
        } catch (NoSuchFileException e) {
            throw new ConfigFault(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigFault(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Parses text holding one JSON object; {@code source} names it in errors. */
    public static JsonObject parse(String text, String source) {
        return parse(text, source, false);
    }

    private static JsonObject parse(String text, String source, boolean nullIsAbsent) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ConfigFault(source + ": expected a JSON object { ... }");
            }
            JsonObject object = readObject(parser, source, nullIsAbsent);
            if (parser.nextToken() != null) {
                throw new ConfigFault(source + at(parser.currentTokenLocation()) + ": text after the closing }");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new ConfigFault(source + at(e.getLocation()) + ": malformed JSON (" + parserMessage(e) + ")");
        } catch (IOException e) {
            throw new ConfigFault(source + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * Jackson's own words for what is wrong, without the parser's description of its input ("[Source: REDACTED
     * (...) disabled); line: 1, column: 1]" becomes "line 1, column 1"), which names its internals.
     */
    public static String parserMessage(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        return SOURCE.matcher(message).replaceAll("line $1, column $2");
    }

    private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");

    private static String at(JsonLocation location) {
        return location == null ? "" : ":" + location.getLineNr() + ":" + location.getColumnNr();
    }

    private static JsonObject readObject(JsonParser parser, String source, boolean nullIsAbsent) throws IOException {
        Map<String, Object> members = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            if (nullIsAbsent && parser.currentToken() == JsonToken.VALUE_NULL) {
                continue;
            }
            if (members.put(key, readValue(parser, source, nullIsAbsent)) != null) {
                throw new ConfigFault(source + at(parser.currentTokenLocation()) + ": key '" + key + "' appears twice");
            }
        }
        return new JsonObject(source, members);
    }

    private static Object readValue(JsonParser parser, String source, boolean nullIsAbsent) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(parser, source, nullIsAbsent);
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (nullIsAbsent && parser.currentToken() == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    items.add(readValue(parser, source, nullIsAbsent));
                }
                yield List.copyOf(items);
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> throw new ConfigFault(source + at(parser.currentTokenLocation())
                    + ": null is not a setting; leave the key out for its default");
            default -> throw new ConfigFault(source + at(parser.currentTokenLocation()) + ": unexpected " + parser.currentToken());
        };
    }

    /** The keys, in the file's order. */
    public Set<String> keys() {
        return members.keySet();
    }

    /** Whether the key is present. */
    public boolean has(String key) {
        return members.containsKey(key);
    }

    /** The raw value, or null when absent. */
    public Object get(String key) {
        return members.get(key);
    }

    /**
     * Fails naming the first key not in {@code known}: a misspelled key must not be silently ignored.
     *
     * @param what what this object describes, e.g. {@code topology}
     */
    public void requireOnly(Set<String> known, String what) {
        for (String key : members.keySet()) {
            if (!known.contains(key)) {
                throw new ConfigFault(source + ": unknown " + what + " key '" + key + "' (known: " + String.join(", ", known) + ")");
            }
        }
    }

    /** A string value, or {@code fallback} when absent. */
    public String string(String key, String fallback) {
        Object v = members.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw wrongType(key, "a string", v);
        }
        return s;
    }

    /** A whole number, or {@code fallback} when absent. */
    public long integer(String key, long fallback) {
        Object v = members.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw wrongType(key, "a whole number", v);
        }
        // Jackson hands out a BigInteger, or a double for an exponent, when the number does not fit a long;
        // longValue() would wrap or saturate it silently.
        boolean fits = n instanceof BigInteger big ? big.bitLength() < Long.SIZE
                : !(n instanceof Double || n instanceof Float || n instanceof BigDecimal)
                        || Math.abs(n.doubleValue()) < 0x1p63;
        if (!fits) {
            throw new ConfigFault(source + ": '" + key + "' is out of range: " + v);
        }
        return n.longValue();
    }

    /** A whole number that fits an int, or {@code fallback} when absent. */
    public int smallInteger(String key, int fallback) {
        long v = integer(key, fallback);
        if (v != (int) v) {
            throw new ConfigFault(source + ": '" + key + "' is out of range: " + v);
        }
        return (int) v;
    }

    /** A number, or {@code fallback} when absent. */
    public double number(String key, double fallback) {
        Object v = members.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw wrongType(key, "a number", v);
        }
        if (!Double.isFinite(n.doubleValue())) {
            throw new ConfigFault(source + ": '" + key + "' is out of range: " + v);
        }
        return n.doubleValue();
    }

    private ConfigFault wrongType(String key, String expected, Object actual) {
        return new ConfigFault(source + ": '" + key + "' must be " + expected + ", got " + describe(actual));
    }

    private static String describe(Object v) {
        return switch (v) {
            case String s -> "\"" + s + "\"";
            case JsonObject o -> "an object";
            case List<?> l -> "a list";
            default -> String.valueOf(v);
        };
    }
}
