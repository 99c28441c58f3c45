package io.supernode.bench.report;

import java.util.List;

/** The report's first section: what is real, what is modeled and what is host time. It runs nothing. */
final class MethodologySection {

    private MethodologySection() {
    }

    static Section section() {
        return new Section("methodology", "Methodology", List.of(
                new Block.Paragraph("Real: every byte a path moves is copied between off-heap MemorySegments that stand for the "
                        + "nodes' memories (loads and stores through the global address space, messages through registered "
                        + "bounce buffers, coherence data through line caches), and every path's outputs are compared: KV decode "
                        + "digests and pooled embedding outputs must be identical across paths."),
                new Block.Paragraph("Modeled: time on the emulated machine comes from a LogGP-style fabric model (latency, "
                        + "per-message overhead, gap, bandwidth per lane, a second switch tier) whose link profiles carry their "
                        + "sources: UB from Zuo et al., CloudMatrix384, arXiv 2506.12708, Table 1; NVLink 4 and NCCL send/recv "
                        + "from NCCL issues 1264 and 1487; InfiniBand and RoCE from perftest measurements; CXL from Melody "
                        + "(ASPLOS'25) and Pond (ASPLOS'23); PCIe 5 staging from copy-engine measurements. The fidelity section "
                        + "sets the model beside each published figure."),
                new Block.Paragraph("Host: host time is this machine's clock around the emulator's own work. It says what "
                        + "emulating costs, never how fast the emulated machine is; the two are reported in separate columns and "
                        + "never mixed. JMH runs of the same operations (`benchmarks/run-jmh`) give the careful host figures."),
                new Block.Paragraph("Transfers are modeled unloaded unless a section says otherwise: per-port lanes queue bulk "
                        + "transfers, but coherence and KV fetches reserve no link time.")));
    }
}
