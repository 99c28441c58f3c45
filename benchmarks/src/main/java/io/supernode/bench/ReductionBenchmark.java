package io.supernode.bench;

import org.openjdk.jmh.annotations.Fork;

/** The reduction kernel with the Vector API resolved: fp32 and bf16 sums run as vector loops. */
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true", "--add-modules", "jdk.incubator.vector"})
public class ReductionBenchmark extends ReductionKernels {

    @Override
    boolean withVectorApi() {
        return true;
    }
}
