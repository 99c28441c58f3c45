package io.supernode.bench.report;

import io.supernode.embedding.EmbeddingConfig;
import io.supernode.gas.path.FabricPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A report on tiny workloads has every section, every chart inline, nothing fetched, and a faithful markdown twin. */
class ReportTest {

    static final ReportPlan TINY = new ReportPlan("tiny", List.of(8L, 4096L), 60, List.of(0.25, 1.0),
            EmbeddingConfig.DEFAULT.withRows(10_000).withShape(4, 2, 64, 8, 2).withMachine(16, FabricPair.UB_VS_ROCE, 1),
            List.of(1.3), List.of(16L << 10, 64L << 10), List.of(8), 64L << 10, 10_000, 20);

    @Test
    void everySectionChartAndTableIsWrittenSelfContained(@TempDir Path dir) throws Exception {
        List<String> parts = new ArrayList<>();
        Report report = new Report(TINY, 5, dir, parts::add);
        List<Section> sections = report.sections();
        assertEquals(List.of("methodology", "compare", "kv", "embedding", "fidelity", "cost"),
                sections.stream().map(Section::id).toList());
        assertEquals(6, parts.size(), "one progress line per measured part: " + parts);
        ReportWriter.write("t", sections, dir);
        String html = Files.readString(dir.resolve("report.html"));
        long figures = sections.stream().flatMap(s -> s.blocks().stream()).filter(b -> b instanceof Block.Figure).count();
        assertEquals(FabricPair.all().size() + 4 + 1, figures,
                "a sweep chart per fabric pair, two KV charts by capacity and two by reused share, one crossover per "
                        + "Zipf exponent");
        Matcher inline = Pattern.compile("<figure class=\"chart\" id=\"[^\"]+\">\\s*<svg").matcher(html);
        assertEquals(figures, inline.results().count(), "every chart is an inline SVG");
        assertFalse(html.contains("<link") || html.contains(" src=") || html.contains("<?xml"), "nothing is fetched");
        List<String> ids = Pattern.compile("\\bid=\"([^\"]+)\"").matcher(html).results().map(m -> m.group(1)).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "every id on the page is its own (charts' clip paths too)");
        Matcher clips = Pattern.compile("url\\(#([^)]+)\\)").matcher(html);
        while (clips.find()) {
            assertTrue(ids.contains(clips.group(1)), "a reference to a missing id: " + clips.group(1));
        }
        assertTrue(html.contains("<tr class=\"flagged\"><td>ib_send_lat, 4 KB</td>"), "the out-of-tolerance row is flagged");
        String md = Files.readString(dir.resolve("report.md"));
        Matcher images = Pattern.compile("\\]\\((charts/[^)]+\\.png)\\)").matcher(md);
        int linked = 0;
        while (images.find()) {
            assertTrue(Files.size(dir.resolve(images.group(1))) > 1000, images.group(1));
            linked++;
        }
        assertEquals(figures, linked, "the markdown links every chart as a PNG");
        assertTrue(md.contains("| **ib_send_lat, 4 KB** |"), "flagged rows are bold in markdown");
        for (Matcher heading = Pattern.compile("(?m)^## (.+)$").matcher(md); heading.find(); ) {
            String link = "- [" + heading.group(1) + "](#" + ReportWriter.anchor(heading.group(1)) + ")";
            assertTrue(md.contains(link), "the markdown's contents link every section: " + link);
        }
        assertTrue(Double.isNaN(report.warmLoadNanos()), "the 384-node figure is only measured at 384 nodes");
    }

    @Test
    void jmhResultsAreReadWithTheirParametersAndErrors(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("jmh.json"), """
                [{"benchmark": "io.supernode.bench.EmbeddingGatherBenchmark.step", "mode": "avgt",
                  "params": {"path": "COPY"},
                  "primaryMetric": {"score": 412.5, "scoreError": 3.25, "scoreUnit": "ns/op"}},
                 {"benchmark": "io.supernode.bench.ScalarLoadBenchmark.unifiedLoad", "mode": "avgt",
                  "primaryMetric": {"score": 7.5, "scoreError": "NaN", "scoreUnit": "ns/op"}},
                 {"benchmark": "io.supernode.bench.SweepOpBenchmark.operation", "mode": "avgt",
                  "params": {"method": "SEND_RECV", "size": "65536"},
                  "primaryMetric": {"score": 2500.0, "scoreError": 10.0, "scoreUnit": "ns/op"}},
                 {"benchmark": "io.supernode.bench.KvReplayBenchmark.replay", "mode": "avgt",
                  "params": {"path": "POOLED_COPY"},
                  "primaryMetric": {"score": 120.5, "scoreError": 2.0, "scoreUnit": "us/op"}}]""");
        JmhResults results = JmhResults.read(file);
        assertEquals(4, results.scores().size());
        assertEquals(2500.0, results.scores().get(2).nanos());
        assertEquals(120_500.0, results.scores().get(3).nanos(), 1e-6, "microseconds become nanoseconds");
        JmhResults.Score op = results.scores().get(2);
        assertEquals("SEND_RECV", op.param("method"));
        assertEquals("65536", op.param("size"));
        assertEquals("", op.param("path"), "a parameter the run does not have");
        JmhResults.Score copy = results.scores().getFirst();
        assertEquals("EmbeddingGatherBenchmark.step", copy.shortName());
        assertEquals("path=COPY", copy.params());
        assertEquals(412.5, copy.score());
        assertEquals(3.25, copy.error());
        assertTrue(Double.isNaN(results.scores().get(1).error()), "one iteration has no error bar");
    }
}
