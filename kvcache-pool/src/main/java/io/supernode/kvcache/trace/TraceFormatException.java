package io.supernode.kvcache.trace;

/** A trace line that cannot be read: the message names the file, the line and what was wrong. */
public final class TraceFormatException extends RuntimeException {

    private final String file;
    private final long line;

    /** Creates the exception for {@code line} (from 1) of {@code file}. */
    public TraceFormatException(String file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** The trace file. */
    public String file() {
        return file;
    }

    /** The line, counted from 1. */
    public long line() {
        return line;
    }
}
