package io.supernode.kvcache.trace;

import java.util.List;

/**
 * What reading a trace produced.
 *
 * @param source         the file or generator it came from
 * @param requests       the requests in arrival order
 * @param skippedLines   malformed lines skipped (only when skipping was asked for)
 * @param firstProblems  the first few skipped lines' problems, each naming file and line
 */
public record TraceLoad(String source, List<Request> requests, long skippedLines, List<String> firstProblems) {

    /** Total prompt blocks. */
    public long blocks() {
        return requests.stream().mapToLong(Request::blocks).sum();
    }

    /** Total prompt tokens. */
    public long inputTokens() {
        return requests.stream().mapToLong(Request::inputTokens).sum();
    }
}
