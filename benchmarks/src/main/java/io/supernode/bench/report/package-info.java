/**
 * The side-by-side report behind {@code supernode report}: every workload on every path, the fabric model
 * against its published figures, and the emulator's own cost, written as one self-contained HTML page and a
 * markdown twin. The charts and output files it writes ({@link io.supernode.bench.report.Charts},
 * {@link io.supernode.bench.report.OutputFiles}) are the ones the command line's {@code --plot} and
 * {@code --csv} options write too.
 */
package io.supernode.bench.report;
