package io.supernode.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A terminal table: columns padded to their widest cell, numbers right-aligned, text left-aligned. A table
 * wider than {@link #MAX_WIDTH} columns is printed in parts, one under the other, each repeating the first
 * column (what the rows are) beside as many of the others as fit.
 */
public final class TextTable {

    /** The widest line a table prints: a terminal of 100 columns shows it without wrapping. */
    public static final int MAX_WIDTH = 100;

    /** One or more quantities with optional units, e.g. {@code 27.5 us 152.7 GB/s}: right-aligned. */
    private static final String NUMBERS = "-?[\\d.,]+( ?[a-zA-Z/%]+)?( -?[\\d.,]+( ?[a-zA-Z/%]+)?)*";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table with these column headings. */
    public TextTable(String... header) {
        this.header = List.of(header);
    }

    /** Adds a row; cells are shown with {@link String#valueOf(Object)}. */
    public TextTable row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size() + " columns");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(String.valueOf(cell));
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        int[] width = new int[header.size()];
        boolean[] numeric = new boolean[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                // A blank cell (a value shown once for a group of rows) leaves a column's alignment alone.
                numeric[c] &= row.get(c).isEmpty() || row.get(c).matches(NUMBERS);
            }
        }
        StringBuilder out = new StringBuilder();
        int next = 1;
        do {
            // Column 0, then the following columns while the line stays within MAX_WIDTH (at least one).
            List<Integer> part = new ArrayList<>(List.of(0));
            int used = width[0];
            while (next < width.length && (part.size() == 1 || used + 2 + width[next] <= MAX_WIDTH)) {
                used += 2 + width[next];
                part.add(next++);
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            part(out, part, width, numeric);
        } while (next < width.length);
        return out.toString();
    }

    private void part(StringBuilder out, List<Integer> columns, int[] width, boolean[] numeric) {
        line(out, header, columns, width, numeric);
        StringBuilder rule = new StringBuilder();
        for (int c : columns) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        out.append(rule).append('\n');
        for (List<String> row : rows) {
            line(out, row, columns, width, numeric);
        }
    }

    private static void line(StringBuilder out, List<String> cells, List<Integer> columns, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c : columns) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            line.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
