package io.supernode.bench.report;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a report's sections twice: one self-contained HTML page (styles and SVG charts inline, nothing
 * fetched) and a markdown twin that links the PNG charts beside it.
 */
public final class ReportWriter {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
            h1 { border-bottom: 2px solid #345; padding-bottom: .3em; }
            h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 14px; }
            caption { text-align: left; font-weight: 600; padding: .3em 0; }
            th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
            th { background: #eef2f6; }
            td:first-child, th:first-child { text-align: left; }
            tr.flagged td { background: #fde2e1; }
            figure { margin: 1em 0; }
            figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
            figcaption { font-size: 14px; color: #555; }
            code { background: #f3f3f3; padding: 0 3px; }
            nav a { margin-right: 1em; }
            """;

    private ReportWriter() {
    }

    /** Writes {@code report.html} and {@code report.md} into {@code dir}, whose {@code charts/} holds the figures. */
    public static List<Path> write(String title, List<Section> sections, Path dir) {
        Path html = OutputFiles.write(dir.resolve("report.html"), html(title, sections, dir));
        Path md = OutputFiles.write(dir.resolve("report.md"), markdown(title, sections));
        return List.of(html, md);
    }

    static String html(String title, List<Section> sections, Path dir) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n<nav>");
        for (Section s : sections) {
            out.append("<a href=\"#").append(s.id()).append("\">").append(escape(s.title())).append("</a>");
        }
        out.append("</nav>\n");
        for (Section s : sections) {
            out.append("<section id=\"").append(s.id()).append("\">\n<h2>").append(escape(s.title())).append("</h2>\n");
            for (Block b : s.blocks()) {
                switch (b) {
                    case Block.Paragraph p -> out.append("<p>").append(inlineCode(escape(p.text()))).append("</p>\n");
                    case Block.Table t -> htmlTable(out, t);
                    case Block.Figure f -> out.append("<figure class=\"chart\" id=\"chart-").append(f.name()).append("\">\n")
                            .append(inlineSvg(dir.resolve("charts").resolve(f.name() + ".svg"), "chart-" + f.name()))
                            .append("\n<figcaption>").append(escape(f.caption())).append("</figcaption>\n</figure>\n");
                }
            }
            out.append("</section>\n");
        }
        // A browser that lays the page out records how many charts it drew with a size, for render checks.
        out.append("<script>\nwindow.addEventListener('load', () => {\n  const drawn = [...document.querySelectorAll('figure.chart svg')]\n")
                .append("    .filter(svg => svg.getBoundingClientRect().width > 100 && svg.getBoundingClientRect().height > 100);\n")
                .append("  document.body.dataset.chartsRendered = drawn.length;\n});\n</script>\n");
        return out.append("</body>\n</html>\n").toString();
    }

    private static void htmlTable(StringBuilder out, Block.Table t) {
        out.append("<table>\n<caption>").append(escape(t.caption())).append("</caption>\n<tr>");
        t.header().forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
        out.append("</tr>\n");
        for (int i = 0; i < t.rows().size(); i++) {
            out.append(t.flagged().contains(i) ? "<tr class=\"flagged\">" : "<tr>");
            t.rows().get(i).forEach(c -> out.append("<td>").append(escape(c)).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</table>\n");
    }

    /**
     * The chart's SVG without its XML prolog, so it can sit inside the page, its ids prefixed with {@code scope}: every
     * chart names its clip paths alike, and on one page a later chart's reference would find an earlier chart's.
     */
    private static String inlineSvg(Path svg, String scope) {
        try {
            String text = Files.readString(svg);
            int start = text.indexOf("<svg");
            if (start < 0) {
                throw new IllegalStateException(svg + " holds no <svg> element");
            }
            String prefix = Matcher.quoteReplacement(scope) + "-";
            return text.substring(start).replaceAll("\\bid=\"([^\"]+)\"", "id=\"" + prefix + "$1\"")
                    .replaceAll("url\\(#([^)]+)\\)", "url(#" + prefix + "$1)")
                    .replaceAll("href=\"#([^\"]+)\"", "href=\"#" + prefix + "$1\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chart " + svg, e);
        }
    }

    static String markdown(String title, List<Section> sections) {
        StringBuilder out = new StringBuilder("# ").append(title).append("\n\n");
        for (Section s : sections) {
            out.append("- [").append(s.title()).append("](#").append(anchor(s.title())).append(")\n");
        }
        out.append('\n');
        for (Section s : sections) {
            out.append("## ").append(s.title()).append("\n\n");
            for (Block b : s.blocks()) {
                switch (b) {
                    case Block.Paragraph p -> out.append(p.text()).append("\n\n");
                    case Block.Table t -> markdownTable(out, t);
                    case Block.Figure f -> out.append("![").append(f.caption()).append("](charts/").append(f.name())
                            .append(".png)\n\n*").append(f.caption()).append("*\n\n");
                }
            }
        }
        return out.toString();
    }

    /**
     * The anchor markdown renderers (GitHub's, and most others) give a heading: lower case, punctuation
     * dropped, spaces as hyphens.
     */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static void markdownTable(StringBuilder out, Block.Table t) {
        out.append("**").append(t.caption()).append("**\n\n|");
        t.header().forEach(h -> out.append(' ').append(cell(h)).append(" |"));
        out.append("\n|");
        for (int i = 0; i < t.header().size(); i++) {
            out.append(i == 0 ? "---|" : "---:|");
        }
        out.append('\n');
        for (int i = 0; i < t.rows().size(); i++) {
            out.append('|');
            boolean flagged = t.flagged().contains(i);
            t.rows().get(i).forEach(c -> out.append(' ').append(flagged ? "**" + cell(c) + "**" : cell(c)).append(" |"));
            out.append('\n');
        }
        out.append('\n');
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String inlineCode(String escaped) {
        Matcher m = CODE.matcher(escaped);
        return m.replaceAll(r -> Matcher.quoteReplacement("<code>" + r.group(1) + "</code>"));
    }
}
