/**
 * JMH benchmarks. Each compares an emulator path with the bare operation it stands on, in the same
 * run, because only ratios are meaningful on a noisy machine: {@link io.supernode.bench.ScalarLoadBenchmark}
 * (a remote load through the address space vs {@code MemorySegment.get}) and
 * {@link io.supernode.bench.BulkCopyBenchmark} (a 1 MiB bulk read vs {@code MemorySegment.copy}).
 */
package io.supernode.bench;
