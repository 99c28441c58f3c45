package io.supernode.cli;

import java.util.Set;

/** Sentences for the terminal, wrapped to {@link TextTable#MAX_WIDTH} columns like the tables beside them. */
final class Prose {

    private Prose() {
    }

    /**
     * {@code text} with every line longer than {@link TextTable#MAX_WIDTH} broken at its last space that fits and
     * does not part a number from its unit ("167.0 GB/s" stays whole), the continuation indented by two spaces; a
     * line with no such space is left whole.
     */
    static String wrap(String text) {
        return wrap(text, 2);
    }

    /** As {@link #wrap(String)}, continuations indented by {@code indentColumns}. */
    static String wrap(String text, int indentColumns) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String rest = line;
            String indent = "";
            while ((indent + rest).length() > TextTable.MAX_WIDTH) {
                int cut = rest.lastIndexOf(' ', TextTable.MAX_WIDTH - indent.length());
                while (cut > 0 && joinsNumberToUnit(rest, cut)) {
                    cut = rest.lastIndexOf(' ', cut - 1);
                }
                if (cut <= 0) {
                    break;
                }
                out.append(indent).append(rest, 0, cut).append('\n');
                rest = rest.substring(cut + 1);
                indent = " ".repeat(indentColumns);
            }
            out.append(indent).append(rest).append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** Units printed after a number with a space between them. */
    private static final Set<String> UNITS = Set.of("B", "KiB", "MiB", "GiB", "TiB", "kB", "MB", "GB", "TB", "GB/s",
            "MB/s", "TB/s", "ns", "us", "ms", "s", "%", "x", "tokens");

    /** Whether the space at {@code at} stands between a number and its unit. */
    private static boolean joinsNumberToUnit(String line, int at) {
        if (at == 0 || !Character.isDigit(line.charAt(at - 1))) {
            return false;
        }
        int end = at + 1;
        while (end < line.length() && " ,;:).".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        return UNITS.contains(line.substring(at + 1, end));
    }
}
