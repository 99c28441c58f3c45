package io.supernode.gas.config;

import io.supernode.gas.Presets;
import io.supernode.gas.SupernodeConfig;
import io.supernode.gas.fabric.InSwitchReduction;
import io.supernode.gas.fabric.LinkProfile;
import io.supernode.gas.fabric.LinkProfiles;
import io.supernode.gas.fabric.MemoryProfile;
import io.supernode.gas.fabric.Topology;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.memory.ByteSize;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A machine described in a JSON file instead of by a preset's name: a preset to start from and what to
 * change, or a whole machine. Every key is optional when {@code base} names a preset:
 *
 * <pre>{@code
 * {
 *   "name": "cm384-fast-ub",
 *   "base": "cloudmatrix384",
 *   "groups": 48, "nodesPerGroup": 8, "groupNoun": "board", "nodeNoun": "NPU",
 *   "memoryPerNode": "128GiB", "pageSize": "64KiB", "translationCacheEntries": 512, "seed": 42,
 *   "link": { "base": "UB", "latencyNanos": 400, "readGBps": 334, "writeGBps": 274 },
 *   "memory": "HBM-910C"
 * }
 * }</pre>
 *
 * Stacked servers add {@code "scaleOut": "IB_NDR"}: the network between groups, which carries messages only
 * (load and store then reach only a node's own group; see {@code Topology}).
 * {@code link}, {@code scaleOut} and {@code memory} are a built-in profile's name or an object that overrides one
 * ({@code base}) or gives every number itself. A changed profile's source names the file and the keys it
 * changed, so reports never pass an edited profile off as the published one.
 */
public final class TopologyFile {

    private static final Set<String> MACHINE_KEYS = new TreeSet<>(List.of("name", "base", "groups", "nodesPerGroup",
            "groupNoun", "nodeNoun", "memoryPerNode", "pageSize", "translationCacheEntries", "seed", "link", "memory", "scaleOut"));
    /** The numbers a link object may give, in the order a changed profile's source names them. */
    private static final List<LinkNumber> LINK_NUMBERS = List.of(
            new LinkNumber("latencyNanos", (link, key, p) -> p.latencyNanos(link.integer(key, 0))),
            new LinkNumber("secondTierLatencyNanos", (link, key, p) -> p.secondTierLatencyNanos(link.integer(key, 0))),
            new LinkNumber("secondTierBandwidthFactor",
                    (link, key, p) -> p.secondTierBandwidthFactor(link.number(key, 0))),
            new LinkNumber("loadStoreOverheadNanos", (link, key, p) -> p.loadStoreOverheadNanos(link.integer(key, 0))),
            new LinkNumber("messageOverheadNanos", (link, key, p) -> p.messageOverheadNanos(link.integer(key, 0))),
            new LinkNumber("gapNanos", (link, key, p) -> p.gapNanos(link.integer(key, 0))),
            new LinkNumber("readGBps", (link, key, p) -> p.readBytesPerSecond(link.number(key, 0) * 1e9)),
            new LinkNumber("writeGBps", (link, key, p) -> p.writeBytesPerSecond(link.number(key, 0) * 1e9)),
            new LinkNumber("writeAckNanos", (link, key, p) -> p.writeAckNanos(link.integer(key, 0))),
            new LinkNumber("lanes", (link, key, p) -> p.lanes(link.smallInteger(key, 0))),
            new LinkNumber("switchReduceGBps", (link, key, p) -> p.switchReduceBytesPerSecond(link.number(key, 0) * 1e9)));
    private static final Set<String> LINK_KEYS = Stream.concat(Stream.of("base", "name", "loadStore", "inSwitchReduction"),
            LINK_NUMBERS.stream().map(LinkNumber::key)).collect(Collectors.toCollection(TreeSet::new));
    private static final Set<String> MEMORY_KEYS = new TreeSet<>(List.of("base", "name", "latencyNanos", "GBps"));

    /** Sets one field of a link profile from {@code key} of a link object that has it. */
    @FunctionalInterface
    private interface LinkSetter {
        void set(JsonObject link, String key, LinkProfile.Builder profile);
    }

    /** A number a link object may give, and the profile field it sets. */
    private record LinkNumber(String key, LinkSetter setter) {
    }

    private TopologyFile() {
    }

    /** Reads the machine a file describes; every error is a {@link ConfigFault} naming the file and the key. */
    public static SupernodeConfig read(Path file) {
        return from(JsonObject.read(file));
    }

    /** The machine a parsed topology object describes. */
    public static SupernodeConfig from(JsonObject json) {
        json.requireOnly(MACHINE_KEYS, "topology");
        String baseName = json.string("base", null);
        SupernodeConfig base = baseName == null ? null : Presets.byName(baseName);
        if (base == null) {
            for (String required : List.of("groups", "nodesPerGroup", "memoryPerNode", "link", "memory")) {
                if (!json.has(required)) {
                    throw new ConfigFault(json.source() + ": '" + required + "' is needed when no 'base' preset is named");
                }
            }
        }
        Topology t = base == null ? null : base.topology();
        Topology topology = topology(json, t);
        String name = json.string("name", base == null ? fileName(json.source()) : base.name() + "-custom");
        return new SupernodeConfig(name, topology,
                json.has("memoryPerNode") ? size(json, "memoryPerNode") : base.memoryBytesPerNode(),
                json.has("pageSize") ? size(json, "pageSize") : base == null ? SupernodeConfig.DEFAULT_PAGE_BYTES : base.pageSizeBytes(),
                json.smallInteger("translationCacheEntries",
                        base == null ? SupernodeConfig.DEFAULT_TRANSLATION_ENTRIES : base.translationCacheEntries()),
                base == null ? Presets.small().hostTiming() : base.hostTiming(),
                json.integer("seed", base == null ? Presets.DEFAULT_SEED : base.seed()));
    }

    private static Topology topology(JsonObject json, Topology t) {
        int groups = json.smallInteger("groups", t == null ? 0 : t.groups());
        int nodesPerGroup = json.smallInteger("nodesPerGroup", t == null ? 0 : t.nodesPerGroup());
        String groupNoun = json.string("groupNoun", t == null ? "group" : t.groupNoun());
        String nodeNoun = json.string("nodeNoun", t == null ? "node" : t.nodeNoun());
        LinkProfile link = link(json, "link", t == null ? null : t.link());
        MemoryProfile memory = memory(json, t == null ? null : t.memory());
        LinkProfile scaleOut = link(json, "scaleOut", t == null ? null : t.scaleOut());
        try {
            return new Topology(groups, nodesPerGroup, groupNoun, nodeNoun, link, memory, scaleOut);
        } catch (ConfigFault e) {
            throw new ConfigFault(json.source() + ": " + e.getMessage());
        }
    }

    private static LinkProfile link(JsonObject json, String key, LinkProfile fromBase) {
        Object value = json.get(key);
        if (value == null) {
            return fromBase;
        }
        if (value instanceof String name) {
            return LinkProfiles.byName(name);
        }
        if (!(value instanceof JsonObject o)) {
            throw new ConfigFault(json.source() + ": '" + key + "' must be a profile name or an object");
        }
        String where = json.source() + " (" + key + ")";
        JsonObject link = new JsonObject(where, o.members());
        link.requireOnly(LINK_KEYS, key);
        String baseName = link.string("base", null);
        LinkProfile b = baseName == null ? null : LinkProfiles.byName(baseName);
        if (b == null) {
            for (String required : List.of("name", "loadStore", "latencyNanos", "readGBps", "writeGBps")) {
                if (!link.has(required)) {
                    throw new ConfigFault(where + ": '" + required + "' is needed when no 'base' profile is named");
                }
            }
        }
        Object loadStore = link.get("loadStore");
        if (loadStore != null && !(loadStore instanceof Boolean)) {
            throw new ConfigFault(where + ": 'loadStore' must be true or false");
        }
        List<LinkNumber> changed = LINK_NUMBERS.stream().filter(n -> link.has(n.key())).toList();
        LinkProfile.Builder profile = b == null ? LinkProfile.builder().source("A: defined in " + json.source())
                : b.toBuilder().source(b.source() + "; CHANGED in " + json.source() + ": "
                        + changed.stream().map(LinkNumber::key).collect(Collectors.joining(", ")));
        profile.name(link.string("name", b == null ? null : changed.isEmpty() ? b.name() : b.name() + "*"));
        if (loadStore != null) {
            profile.loadStore((Boolean) loadStore);
        }
        String reduction = link.string("inSwitchReduction", null);
        if (reduction != null) {
            profile.inSwitchReduction(inSwitchReduction(where, reduction));
        }
        changed.forEach(n -> n.setter().set(link, n.key(), profile));
        try {
            return profile.build();
        } catch (ConfigFault e) {
            throw new ConfigFault(where + ": " + e.getMessage());
        }
    }

    private static InSwitchReduction inSwitchReduction(String where, String value) {
        for (InSwitchReduction r : InSwitchReduction.values()) {
            if (r.name().equalsIgnoreCase(value.trim())) {
                return r;
            }
        }
        throw new ConfigFault(where + ": 'inSwitchReduction' must be none, unknown or supported, got '" + value + "'");
    }

    private static MemoryProfile memory(JsonObject json, MemoryProfile fromBase) {
        Object value = json.get("memory");
        if (value == null) {
            return fromBase;
        }
        if (value instanceof String name) {
            return LinkProfiles.memoryByName(name);
        }
        if (!(value instanceof JsonObject o)) {
            throw new ConfigFault(json.source() + ": 'memory' must be a profile name or an object");
        }
        String where = json.source() + " (memory)";
        JsonObject memory = new JsonObject(where, o.members());
        memory.requireOnly(MEMORY_KEYS, "memory");
        String baseName = memory.string("base", null);
        MemoryProfile b = baseName == null ? null : LinkProfiles.memoryByName(baseName);
        if (b == null && !(memory.has("name") && memory.has("latencyNanos") && memory.has("GBps"))) {
            throw new ConfigFault(where + ": 'name', 'latencyNanos' and 'GBps' are needed when no 'base' profile is named");
        }
        try {
            return new MemoryProfile(memory.string("name", b == null ? null : b.name() + "*"),
                    memory.integer("latencyNanos", b == null ? 0 : b.latencyNanos()),
                    memory.number("GBps", b == null ? 0 : b.bytesPerSecond() / 1e9) * 1e9,
                    b == null ? "A: defined in " + json.source() : b.source() + "; CHANGED in " + json.source());
        } catch (ConfigFault e) {
            throw new ConfigFault(where + ": " + e.getMessage());
        }
    }

    private static long size(JsonObject json, String key) {
        if (json.get(key) instanceof Number) {
            return json.integer(key, 0);
        }
        try {
            return ByteSize.parse(json.string(key, null)).bytes();
        } catch (ConfigFault e) {
            throw new ConfigFault(json.source() + ": '" + key + "': " + e.getMessage());
        }
    }

    private static String fileName(String source) {
        String name = Path.of(source).getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }
}
