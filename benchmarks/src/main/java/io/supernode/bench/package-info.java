/**
 * JMH benchmarks. Each compares an emulator path with the bare operation it stands on, in the same
 * run, because only ratios are meaningful on a noisy machine: {@link io.supernode.bench.ScalarLoadBenchmark}
 * (a remote load through the address space vs {@code MemorySegment.get}), {@link io.supernode.bench.BulkCopyBenchmark}
 * (a 1 MiB bulk read vs {@code MemorySegment.copy}), and so on for translation, atomics, messaging, coherence,
 * the KV index and the embedding gather. {@code benchmarks/run-jmh quick|full} runs them all and writes JSON;
 * {@code benchmarks/run-jmh ratio} runs {@link io.supernode.bench.RoundTripRatio}, which takes the copy path's
 * round trip over the bare floor across many JVMs, since one fork's figure says little on a VM.
 *
 * <p>Beside the JMH suite this module holds the experiments that compare paths: the unified-vs-copy
 * sweep and the fidelity table ({@code io.supernode.bench.compare}) and the side-by-side report that reads
 * the suite's JSON ({@code io.supernode.bench.report}).
 */
package io.supernode.bench;
