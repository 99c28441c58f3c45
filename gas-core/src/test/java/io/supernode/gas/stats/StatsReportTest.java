package io.supernode.gas.stats;

import io.supernode.gas.stats.StatsReport.LinkRow;
import io.supernode.gas.stats.StatsReport.NodeRow;
import io.supernode.gas.stats.StatsReport.OpRow;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stats JSON: the layout it has always had, and valid JSON with every key in order. */
class StatsReportTest {

    private static final StatsReport REPORT = new StatsReport(
            List.of(new OpRow(0, new OpStats(OpKind.LOAD, 3, 24, 300, 1000)),
                    new OpRow(1, new OpStats(OpKind.BULK_READ, 1, 4096, 2000, 5000))),
            List.of(new NodeRow(1, 2000, 2, 1, 4096, 8)),
            List.of(new LinkRow(3, "node 0 \"egress\"", 4096, 123, 1)));

    @Test
    void jsonKeepsItsLayout() {
        assertEquals("""
                {
                  "ops": [
                    {"node": 0, "kind": "LOAD", "ops": 3, "bytes": 24, "modeled_ns": 300, "host_ns": 1000},
                    {"node": 1, "kind": "BULK_READ", "ops": 1, "bytes": 4096, "modeled_ns": 2000, "host_ns": 5000}
                  ],
                  "nodes": [
                    {"node": 1, "clock_ns": 2000, "translation_hits": 2, "translation_misses": 1, "bytes_read": 4096, "bytes_written": 8}
                  ],
                  "links": [
                    {"link": 3, "name": "node 0 \\"egress\\"", "bytes": 4096, "busy_ns": 123, "transfers": 1}
                  ]
                }
                """, REPORT.toJson());
        assertEquals("{\n  \"ops\": [\n  ],\n  \"nodes\": [\n  ],\n  \"links\": [\n  ]\n}\n",
                new StatsReport(List.of(), List.of(), List.of()).toJson());
    }

    @Test
    void jsonParsesBackWithEveryKeyInOrder() throws IOException {
        Map<?, ?> root = (Map<?, ?>) JsonTrees.parse(REPORT.toJson());
        assertEquals(List.of("ops", "nodes", "links"), List.copyOf(root.keySet()));
        List<?> ops = (List<?>) root.get("ops");
        assertEquals(2, ops.size());
        Map<?, ?> bulk = (Map<?, ?>) ops.get(1);
        assertEquals(List.of("node", "kind", "ops", "bytes", "modeled_ns", "host_ns"), List.copyOf(bulk.keySet()));
        assertEquals("BULK_READ", bulk.get("kind"));
        assertEquals(new BigDecimal(4096), bulk.get("bytes"));
        Map<?, ?> node = (Map<?, ?>) ((List<?>) root.get("nodes")).getFirst();
        assertEquals(List.of("node", "clock_ns", "translation_hits", "translation_misses", "bytes_read", "bytes_written"),
                List.copyOf(node.keySet()));
        Map<?, ?> link = (Map<?, ?>) ((List<?>) root.get("links")).getFirst();
        assertEquals(List.of("link", "name", "bytes", "busy_ns", "transfers"), List.copyOf(link.keySet()));
        assertEquals("node 0 \"egress\"", link.get("name"), "a quote in a name is escaped, not a broken file");
    }
}
