package io.supernode.gas.stats;

import io.supernode.gas.fabric.FabricModel;
import io.supernode.gas.fabric.Link;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of a machine's counters: per node and operation kind, per node, and per link (link
 * bytes are derived from each node's traffic to each other node along the topology's routes; link
 * busy time comes from bulk transfers' reservations). Only nodes that issued something and links that
 * carried something are listed.
 *
 * @param ops   one row per active node and operation kind with at least one operation
 * @param nodes one row per active node
 * @param links one row per link that carried bytes
 */
public record StatsReport(List<OpRow> ops, List<NodeRow> nodes, List<LinkRow> links) {

    /**
     * Totals of one operation kind on one node.
     *
     * @param node  the issuing node
     * @param stats the totals
     */
    public record OpRow(int node, OpStats stats) {
    }

    /**
     * One node's clock and traffic.
     *
     * @param node              the node
     * @param clockNanos        its modeled time
     * @param translationHits   translation-cache hits
     * @param translationMisses translation-cache misses
     * @param bytesRead         bytes it read from any memory, its own included
     * @param bytesWritten      bytes it wrote to any memory, its own included
     */
    public record NodeRow(int node, long clockNanos, long translationHits, long translationMisses, long bytesRead,
                          long bytesWritten) {
    }

    /**
     * One link's traffic.
     *
     * @param link      link id
     * @param name      readable name
     * @param bytes     payload bytes that crossed it
     * @param busyNanos modeled time its lanes carried bulk transfers
     * @param transfers bulk transfers that reserved it
     */
    public record LinkRow(int link, String name, long bytes, long busyNanos, long transfers) {
    }

    /** Collects a snapshot; call at quiescence (no node issuing). */
    public static StatsReport collect(List<NodeStats> nodeStats, long[] clockNanos, FabricModel fabric) {
        List<OpRow> ops = new ArrayList<>();
        List<NodeRow> nodes = new ArrayList<>();
        long[] linkBytes = new long[fabric.links().size()];
        int nodeCount = fabric.topology().nodeCount();
        for (NodeStats s : nodeStats) {
            if (!s.active()) {
                continue;
            }
            for (OpKind kind : OpKind.values()) {
                OpStats op = s.op(kind);
                if (op.ops() > 0) {
                    ops.add(new OpRow(s.nodeId(), op));
                }
            }
            long read = 0;
            long written = 0;
            for (int target = 0; target < nodeCount; target++) {
                long r = s.readBytesFrom(target);
                long w = s.writeBytesTo(target);
                read += r;
                written += w;
                if (r > 0) {
                    for (int link : fabric.route(target, s.nodeId())) {
                        linkBytes[link] += r;
                    }
                }
                if (w > 0) {
                    for (int link : fabric.route(s.nodeId(), target)) {
                        linkBytes[link] += w;
                    }
                }
            }
            nodes.add(new NodeRow(s.nodeId(), clockNanos[s.nodeId()], s.translationHits(), s.translationMisses(),
                    read, written));
        }
        List<LinkRow> links = new ArrayList<>();
        long[] busy = fabric.linkBusyNanos();
        for (Link link : fabric.links()) {
            if (linkBytes[link.id()] > 0 || busy[link.id()] > 0) {
                links.add(new LinkRow(link.id(), link.name(fabric.topology()), linkBytes[link.id()], busy[link.id()],
                        link.transfers()));
            }
        }
        return new StatsReport(List.copyOf(ops), List.copyOf(nodes), List.copyOf(links));
    }

    /** Totals of one operation kind over every node. */
    public OpStats total(OpKind kind) {
        long n = 0;
        long bytes = 0;
        long modeled = 0;
        long host = 0;
        for (OpRow row : ops) {
            if (row.stats().kind() == kind) {
                n += row.stats().ops();
                bytes += row.stats().bytes();
                modeled += row.stats().modeledNanos();
                host += row.stats().hostNanos();
            }
        }
        return new OpStats(kind, n, bytes, modeled, host);
    }

    /** Per node and operation kind, as CSV with a header line. */
    public String opsCsv() {
        StringBuilder out = new StringBuilder("node,kind,ops,bytes,modeled_ns,host_ns\n");
        for (OpRow row : ops) {
            OpStats s = row.stats();
            out.append(row.node()).append(',').append(s.kind()).append(',').append(s.ops()).append(',')
                    .append(s.bytes()).append(',').append(s.modeledNanos()).append(',').append(s.hostNanos()).append('\n');
        }
        return out.toString();
    }

    /** Per node, as CSV with a header line. */
    public String nodesCsv() {
        StringBuilder out = new StringBuilder("node,clock_ns,translation_hits,translation_misses,bytes_read,bytes_written\n");
        for (NodeRow n : nodes) {
            out.append(n.node()).append(',').append(n.clockNanos()).append(',').append(n.translationHits()).append(',')
                    .append(n.translationMisses()).append(',').append(n.bytesRead()).append(',')
                    .append(n.bytesWritten()).append('\n');
        }
        return out.toString();
    }

    /** Per link, as CSV with a header line. */
    public String linksCsv() {
        StringBuilder out = new StringBuilder("link,name,bytes,busy_ns,transfers\n");
        for (LinkRow l : links) {
            out.append(l.link()).append(',').append(l.name()).append(',').append(l.bytes()).append(',')
                    .append(l.busyNanos()).append(',').append(l.transfers()).append('\n');
        }
        return out.toString();
    }

    /**
     * Everything, as one JSON object with arrays {@code ops}, {@code nodes} and {@code links}, one row per
     * line (the layout of {@link Json}); every figure is a whole number.
     */
    public String toJson() {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("ops");
            for (OpRow row : ops) {
                OpStats s = row.stats();
                json.writeStartObject();
                json.writeNumberField("node", row.node());
                json.writeStringField("kind", s.kind().name());
                json.writeNumberField("ops", s.ops());
                json.writeNumberField("bytes", s.bytes());
                json.writeNumberField("modeled_ns", s.modeledNanos());
                json.writeNumberField("host_ns", s.hostNanos());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("nodes");
            for (NodeRow n : nodes) {
                json.writeStartObject();
                json.writeNumberField("node", n.node());
                json.writeNumberField("clock_ns", n.clockNanos());
                json.writeNumberField("translation_hits", n.translationHits());
                json.writeNumberField("translation_misses", n.translationMisses());
                json.writeNumberField("bytes_read", n.bytesRead());
                json.writeNumberField("bytes_written", n.bytesWritten());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("links");
            for (LinkRow l : links) {
                json.writeStartObject();
                json.writeNumberField("link", l.link());
                json.writeStringField("name", l.name());
                json.writeNumberField("bytes", l.bytes());
                json.writeNumberField("busy_ns", l.busyNanos());
                json.writeNumberField("transfers", l.transfers());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }
}
