package io.supernode.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run shape every benchmark here shares, inherited by each (JMH's run annotations are
 * {@code @Inherited}): three warm-up and five measured one-second iterations in one fork, whose JVM
 * may use the FFM API's native calls ({@code mmap}, {@code madvise}) and {@code sun.misc.Unsafe}
 * memory access (JCTools, Chronicle) without warnings, and whose Chronicle analytics stay off, since
 * nothing may reach the network. Each benchmark states its own mode, time unit and state scope.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dchronicle.analytics.disable=true"})
abstract class BenchmarkDefaults {
}
