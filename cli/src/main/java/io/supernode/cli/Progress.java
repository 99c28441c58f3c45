package io.supernode.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.function.LongConsumer;

/**
 * A progress bar on standard error for work that runs longer than a couple of seconds, drawn only
 * when a person is watching a terminal; scripts and pipes get one line on standard error as each such
 * phase starts, and clean standard output.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 80;

    private final ProgressBar bar;
    // Interrupted (Ctrl-C), the JVM exits with the bar mid-line: this ends the line so the shell's prompt starts
    // on its own. Removed once the bar closes normally.
    private final Thread endLineOnExit;

    private Progress(ProgressBar bar) {
        this.bar = bar;
        this.endLineOnExit = bar == null ? null : new Thread(() -> {
            System.err.println();
            System.err.flush();
        }, "progress-end-line");
        if (endLineOnExit != null) {
            Runtime.getRuntime().addShutdownHook(endLineOnExit);
        }
    }

    /** A bar for {@code task} counting to {@code total} {@code unit}s; a total of -1 for a count with no known end. */
    static Progress start(String task, long total, String unit) {
        if (System.console() == null) {
            // No one watches a bar in a pipe or a log, but a long run should not look hung: one line per phase.
            System.err.println("supernode: " + task + (total < 0 ? "" : ", " + total + " " + unit) + " ...");
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err, WIDTH)).build());
    }

    /** Moves the bar to {@code done}. */
    LongConsumer stepper() {
        return done -> {
            if (bar != null) {
                bar.stepTo(done);
            }
        };
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            try {
                Runtime.getRuntime().removeShutdownHook(endLineOnExit);
            } catch (IllegalStateException exiting) {
                // The JVM is already shutting down: the hook runs and ends the line, as it should.
            }
        }
    }
}
