package io.supernode.cli;

import io.supernode.gas.Supernode;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.MemoryProfile;
import io.supernode.gas.fabric.RouteClass;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.memory.ByteSize;
import io.supernode.gas.stats.Json;
import io.supernode.gas.stats.ProcessMemory;
import io.supernode.gas.stats.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code supernode info}: boots a preset or a topology file and describes the machine. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Boot a preset (or the machine a --topology file describes) and print its topology, links, unloaded access costs, nominal memory "
                + "and this process's resident memory (the nominal memory is reserved, not committed).")
public final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PresetOption preset;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        SupernodeConfig config = preset.config();
        try (Supernode machine = Supernode.boot(config)) {
            long rss = ProcessMemory.residentBytes();
            if (json) {
                spec.commandLine().getOut().print(json(machine, rss));
            } else {
                StringWriter text = new StringWriter();
                print(new PrintWriter(text), machine, rss);
                // Lines run long with sources; continuations line up under the values, past the 17-column labels.
                spec.commandLine().getOut().print(Prose.wrap(text.toString(), LABEL_COLUMNS));
            }
        }
        return 0;
    }

    /** Width of the labels in front of each value ({@code "link profile     "}). */
    private static final int LABEL_COLUMNS = 17;

    static void print(PrintWriter out, Supernode machine, long rssBytes) {
        SupernodeConfig config = machine.config();
        Topology t = config.topology();
        LinkProfile link = t.link();
        MemoryProfile memory = t.memory();
        FabricModel fabric = machine.fabric();
        out.printf("%s: %s%n", config.name(), t.describe());
        out.printf("nominal memory   %s per %s, %s in all (reserved with mmap MAP_NORESERVE, committed on touch)%n",
                ByteSize.format(config.memoryBytesPerNode()), t.nodeNoun(), ByteSize.format(config.nominalMemoryBytes()));
        out.printf("pages            %s default, %d-entry translation cache per %s%n",
                ByteSize.format(config.pageSizeBytes()), config.translationCacheEntries(), t.nodeNoun());
        printLink(out, "link profile ", link, t.twoTier() && !t.stacked());
        if (t.stacked()) {
            printLink(out, "scale-out    ", t.scaleOut(), true);
        }
        out.printf("memory profile   %s: %d ns, %s; source: %s%n", memory.name(), memory.latencyNanos(),
                Units.gbPerSecond(memory.bytesPerSecond()), memory.source());
        int trunks = t.twoTier() && !t.stacked() ? 2 * t.groups() : 0;
        out.printf("links            %d: %d %s ports (egress + ingress)%s%n", fabric.links().size(),
                2 * t.nodeCount(), t.nodeNoun(), trunks > 0 ? " + " + trunks + " " + t.groupNoun() + " trunks (up + down)"
                        : t.stacked() ? " + " + 2 * t.nodeCount() + " NIC ports (out + in)" : "");
        TextTable costs = new TextTable("unloaded cost", "8 B read", "512 B read", "512 B write", "4 MiB read");
        for (RouteClass rc : RouteClass.values()) {
            if (rc == RouteClass.CROSS_GROUP && !t.twoTier()) {
                continue;
            }
            costs.row(routeName(rc, t), Units.nanos(fabric.readNanos(rc, 8)), Units.nanos(fabric.readNanos(rc, 512)),
                    Units.nanos(fabric.writeNanos(rc, 512)), Units.nanos(fabric.readNanos(rc, 4 << 20)));
        }
        out.print(costs);
        out.printf("boot             %s (host)%n", Units.nanos(machine.bootNanos()));
        out.printf("resident memory  %s (this JVM, with %s nominal reserved)%n",
                rssBytes < 0 ? "unknown" : ByteSize.format(rssBytes), ByteSize.format(config.nominalMemoryBytes()));
        out.println(SOURCE_TAGS);
    }

    /** What the tags before each source mean, as docs/FABRIC-PROFILES.md defines them. */
    static final String SOURCE_TAGS = "source tags      M measured and published, C a vendor's claim or spec, "
            + "A assumed here,\n                 D derived from M or C figures";

    private static void printLink(PrintWriter out, String label, LinkProfile link, boolean secondTier) {
        out.printf("%s    %s: one-way %d ns%s, read %s / write %s per lane, %d lane(s) per port%n", label,
                link.name(), link.latencyNanos(),
                secondTier ? String.format(Locale.ROOT, " (+%d ns across the second tier, %.1f %% bandwidth)",
                        link.secondTierLatencyNanos(), link.secondTierBandwidthFactor() * 100) : "",
                Units.gbPerSecond(link.readBytesPerSecond()), Units.gbPerSecond(link.writeBytesPerSecond()), link.lanes());
        out.printf("                 load/store overhead %d ns, message overhead %d ns, gap %d ns, load/store %s%n",
                link.loadStoreOverheadNanos(), link.messageOverheadNanos(), link.gapNanos(),
                link.loadStore() ? "yes" : "no (messages only)");
        out.printf("                 in-switch reduction %s%n", switch (link.inSwitchReduction()) {
            case NONE -> "no";
            case UNKNOWN -> "unknown (no source)";
            case SUPPORTED -> link.reducesInSwitch()
                    ? "yes, " + Units.gbPerSecond(link.switchReduceBytesPerSecond()) + " per port"
                    : "yes, rate unknown (not offered)";
        });
        out.printf("                 source: %s%n", link.source());
    }

    static String routeName(RouteClass rc, Topology t) {
        return switch (rc) {
            case LOCAL -> "local " + t.nodeNoun();
            case SAME_GROUP -> t.twoTier() ? "same " + t.groupNoun() : "peer " + t.nodeNoun();
            case CROSS_GROUP -> t.stacked() ? "other " + t.groupNoun() + " (RDMA)" : "across " + t.groupNoun() + "s";
        };
    }

    /** The machine as one line of JSON, for scripts; every figure is a whole number. */
    static String json(Supernode machine, long rssBytes) {
        SupernodeConfig c = machine.config();
        Topology t = c.topology();
        return Json.writeOneLine(json -> {
            json.writeStartObject();
            json.writeStringField("preset", c.name());
            json.writeNumberField("nodes", t.nodeCount());
            json.writeNumberField("groups", t.groups());
            json.writeNumberField("nodes_per_group", t.nodesPerGroup());
            json.writeStringField("link_profile", t.link().name());
            if (t.stacked()) {
                json.writeStringField("scale_out_profile", t.scaleOut().name());
            }
            json.writeNumberField("memory_bytes_per_node", c.memoryBytesPerNode());
            json.writeNumberField("nominal_memory_bytes", c.nominalMemoryBytes());
            json.writeNumberField("page_bytes", c.pageSizeBytes());
            json.writeNumberField("links", machine.fabric().links().size());
            json.writeNumberField("boot_ns", machine.bootNanos());
            json.writeNumberField("resident_bytes", rssBytes);
            json.writeEndObject();
        });
    }
}
