package io.supernode.bench.report;

import java.util.List;
import java.util.Set;

/** One piece of a report section, rendered by both the HTML and the markdown writer. */
public sealed interface Block {

    /**
     * Prose.
     *
     * @param text plain text; {@code `code`} spans are kept as code by both writers
     */
    record Paragraph(String text) implements Block {
    }

    /**
     * A table of text cells.
     *
     * @param caption what it shows
     * @param header  column names
     * @param rows    cells, one list per row, as wide as the header
     * @param flagged indexes of rows to draw attention to (e.g. outside their tolerance)
     */
    record Table(String caption, List<String> header, List<List<String>> rows, Set<Integer> flagged) implements Block {

        /** Copies the lists and checks every row is as wide as the header. */
        public Table {
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
            flagged = Set.copyOf(flagged);
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException(caption + ": row " + row + " does not match header " + header);
                }
            }
        }
    }

    /**
     * A chart saved as {@code charts/<name>.png} and {@code charts/<name>.svg}.
     *
     * @param name    file name without extension
     * @param caption what it shows
     */
    record Figure(String name, String caption) implements Block {
    }
}
