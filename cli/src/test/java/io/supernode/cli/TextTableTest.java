package io.supernode.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tables fit {@link TextTable#MAX_WIDTH} columns: a wide one is printed in parts that repeat its first column. */
class TextTableTest {

    @Test
    void aNarrowTableIsOnePart() {
        String text = new TextTable("path", "hits").row("unified", "75.3 %").row("copy", "48.6 %").toString();
        assertEquals("""
                path       hits
                -------  ------
                unified  75.3 %
                copy     48.6 %
                """, text);
    }

    @Test
    void aWideTableIsSplitIntoPartsThatFitAndKeepEveryCell() {
        String[] header = new String[12];
        Object[] row = new Object[12];
        header[0] = "path";
        row[0] = "pooled-unified";
        for (int c = 1; c < header.length; c++) {
            header[c] = "column " + c;
            row[c] = c * 1000 + " ms";
        }
        String text = new TextTable(header).row(row).toString();
        for (String line : text.split("\n")) {
            assertTrue(line.length() <= TextTable.MAX_WIDTH, line.length() + " columns: " + line);
        }
        String[] parts = text.split("\n\n");
        assertTrue(parts.length >= 2, text);
        for (String part : parts) {
            assertTrue(part.startsWith("path") && part.contains("pooled-unified"), part);
        }
        for (int c = 1; c < header.length; c++) {
            assertTrue(text.contains(c * 1000 + " ms") && text.contains("column " + c), "column " + c + " lost: " + text);
        }
    }

    @Test
    void proseIsWrappedAtSpacesWithinTheLimitAndLosesNoWord() {
        String sentence = String.join(" ", java.util.Collections.nCopies(60, "word"));
        String wrapped = Prose.wrap("short line\n" + sentence);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= TextTable.MAX_WIDTH, line);
        }
        assertTrue(wrapped.startsWith("short line\nword"), wrapped);
        assertEquals(sentence, wrapped.substring("short line\n".length()).replace("\n  ", " "));
    }

    @Test
    void proseKeepsANumberWithItsUnit() {
        // The break that fits falls between 167.0 and GB/s; it moves back to the space before the number.
        String line = "x".repeat(85) + " read 167.0 GB/s / write 137.0 GB/s per lane";
        String wrapped = Prose.wrap(line);
        assertTrue(wrapped.contains("\n  167.0 GB/s") || wrapped.contains("167.0 GB/s\n"), wrapped);
        assertEquals(line, wrapped.replace("\n  ", " "));
    }

    @Test
    void oneColumnWiderThanTheLimitStillPrints() {
        String wide = "x".repeat(TextTable.MAX_WIDTH + 20);
        String text = new TextTable("name", "value").row("a", wide).toString();
        assertTrue(text.contains(wide), text);
    }
}
