package io.supernode.cli;

/** Sentences for the terminal, wrapped to {@link TextTable#MAX_WIDTH} columns like the tables beside them. */
final class Prose {

    private Prose() {
    }

    /**
     * {@code text} with every line longer than {@link TextTable#MAX_WIDTH} broken at its last space that fits,
     * the continuation indented by two spaces; a line with no such space is left whole.
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
}
