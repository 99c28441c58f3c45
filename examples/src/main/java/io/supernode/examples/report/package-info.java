/**
 * The side-by-side report behind {@code supernode report}: every workload on every path, the fabric model
 * against its published figures, and the emulator's own cost, written as one self-contained HTML page and a
 * markdown twin. The design map places the report with the benchmarks; it lives here because the launcher
 * runs it and the benchmarks module depends on this one.
 */
package io.supernode.examples.report;
