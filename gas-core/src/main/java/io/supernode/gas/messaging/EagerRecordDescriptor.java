package io.supernode.gas.messaging;

/**
 * The layout of an {@link EagerRing}'s records: where each field sits and how a stamp is made, as static
 * offsets and helpers so the ring itself only moves bytes. Every helper is one expression, for the
 * compiler to inline into the ring's hot methods.
 *
 * <p>A record starts on a 64-byte line and takes whole lines. Offsets are in bytes from the record's
 * start; every field is a {@code long} at an offset that is a multiple of 8, so aligned wherever the record
 * is. Drawn as Agrona draws its records, four bytes a row in memory order, so each field spans two rows:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Stamp (lap, flags, length)                 |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                              Tag                              |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         Arrival nanos                         | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |  INLINE: the payload, Length bytes (up to 40 in this line)   ... 24
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |  Payload, continued; the consumer zeroes this first word     ... 64, 128, ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |  Padding to the next 64-byte line                            ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *
 *  BY_REFERENCE: the same header, then
 *  +---------------------------------------------------------------+
 *  |                            Landing                            | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         Landed length                         | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |  Padding to the line's end                                   ... 40
 * ...                                                              | 64
 *  +---------------------------------------------------------------+
 *
 *  WRAP: the stamp alone, standing for the rest of the ring, which is skipped.
 * </pre>
 *
 * <ul>
 * <li><b>Stamp</b>, 8 bytes at 0: first because a record's start is where the consumer polls. The
 * producer writes it last with a release store and the consumer reads it with an acquire load, so the
 * stamp publishes the record. Records start on lines so that the first word of a line is the only place a
 * record may begin, and a message of up to 40 bytes costs the consumer one line.
 * <li><b>Tag</b>, 8 bytes at 8, and <b>arrival nanos</b>, 8 bytes at 16: what the receiver matches a
 * record by and charges its clock from, in the stamp's line so that looking at the head's record touches
 * no other line.
 * <li><b>Payload</b> of an inline record, from 24: right after the header, so 40 bytes share the stamp's
 * line. Its length is in the stamp, not a field of its own: one acquire load tells the consumer both
 * that the record is there and how long it is.
 * <li><b>Landing</b>, 8 bytes at 24, and <b>landed length</b>, 8 bytes at 32, of a by-reference record:
 * where in the receiver's memory the payload landed ({@link EagerRing#bufferOffset}) and how long it is,
 * a length the stamp's 28 bits need not hold.
 * </ul>
 *
 * <p>The first word of every line may hold only a stamp or zero, or a later lap's head could take stale
 * bytes for a record: the ring clears its memory when made, and the consumer zeroes the first word of
 * each further line of an inline record it takes, where the payload's own bytes would otherwise wait.
 *
 * <p>A stamp, as a {@code long} value (most significant bit on the left):
 *
 * <pre>
 *   6 6 6 6 5 5 5 5 5 5 5 5 5 5 4 4 4 4 4 4 4 4 4 4 3 3 3 3 3 3 3 3
 *   3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2
 *  +---------------------------------------------------------------+
 *  |                              Lap                              |
 *  +-------+-------------------------------------------------------+
 *  | Flags |                    Inline length                      |
 *  +-------+-------------------------------------------------------+
 *   3 3 2 2 2 2 2 2 2 2 2 2 1 1 1 1 1 1 1 1 1 1
 *   1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0 9 8 7 6 5 4 3 2 1 0
 * </pre>
 *
 * <p>The lap, 32 bits, is how many times the ring had wrapped when the record was written, so a stamp
 * left from an earlier lap is not current; one could pass for current only after 2^32 laps with its
 * position never written since. The flags, 4 bits, are exactly one of {@link #INLINE}, {@link #BY_REFERENCE}
 * and {@link #WRAP}, never zero, so no stamp's low half is zero and a cleared word is never a stamp. The
 * inline length, 28 bits, is an inline record's payload length, zero otherwise.
 */
final class EagerRecordDescriptor {

    /** Records start on, and fill whole, 64-byte lines. */
    static final int ALIGNMENT = 64;
    static final int STAMP_OFFSET = 0;
    static final int TAG_OFFSET = STAMP_OFFSET + Long.BYTES;
    static final int ARRIVAL_NANOS_OFFSET = TAG_OFFSET + Long.BYTES;
    /** Header bytes before an inline payload or a reference. */
    static final int HEADER_LENGTH = ARRIVAL_NANOS_OFFSET + Long.BYTES;
    static final int PAYLOAD_OFFSET = HEADER_LENGTH;
    static final int LANDING_OFFSET = HEADER_LENGTH;
    static final int LANDED_LENGTH_OFFSET = LANDING_OFFSET + Long.BYTES;
    /** A by-reference record's bytes after the header: its landing and landed length. */
    static final int REFERENCE_LENGTH = 2 * Long.BYTES;

    /** Stamp flags: the payload follows the header. */
    static final int INLINE = 1;
    /** Stamp flags: the header is followed by the payload's landing and length. */
    static final int BY_REFERENCE = 2;
    /** Stamp flags: no record; the rest of the ring is padding and the next record is at its start. */
    static final int WRAP = 4;
    /** A stamp's low 32 bits: the flags above this many bits, an inline payload's length below them. */
    static final int FLAG_SHIFT = 28;
    static final long INLINE_LENGTH_MASK = (1L << FLAG_SHIFT) - 1;
    static final int LAP_SHIFT = 32;
    static final long LAP_MASK = 0xFFFF_FFFFL;

    private EagerRecordDescriptor() {
    }

    static long stampOffset(long recordOffset) {
        return recordOffset + STAMP_OFFSET;
    }

    static long tagOffset(long recordOffset) {
        return recordOffset + TAG_OFFSET;
    }

    static long arrivalNanosOffset(long recordOffset) {
        return recordOffset + ARRIVAL_NANOS_OFFSET;
    }

    /** Where an inline record's payload starts. */
    static long payloadOffset(long recordOffset) {
        return recordOffset + PAYLOAD_OFFSET;
    }

    /** Where a by-reference record names its payload's offset in the receiver's memory. */
    static long landingOffset(long recordOffset) {
        return recordOffset + LANDING_OFFSET;
    }

    /** Where a by-reference record holds its payload's length. */
    static long landedLengthOffset(long recordOffset) {
        return recordOffset + LANDED_LENGTH_OFFSET;
    }

    /** A record's bytes, whole lines: the header and an inline payload of {@code length}, or the header and a reference. */
    static long recordLength(boolean inline, long length) {
        return (HEADER_LENGTH + (inline ? length : REFERENCE_LENGTH) + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** The stamp of a record with {@code flags} and {@code inlineLength} written in lap {@code lap}. */
    static long stamp(long lap, int flags, long inlineLength) {
        return lap << LAP_SHIFT | (long) flags << FLAG_SHIFT | inlineLength;
    }

    /** The lap {@code stamp} was written in, its low 32 bits. */
    static long lap(long stamp) {
        return stamp >>> LAP_SHIFT;
    }

    static int flags(long stamp) {
        return (int) stamp >>> FLAG_SHIFT;
    }

    /** Whether {@code word} may be a stamp: a stamp's flags are never zero, a cleared word's are. */
    static boolean isStamp(long word) {
        return (int) word != 0;
    }

    static long inlineLength(long stamp) {
        return stamp & INLINE_LENGTH_MASK;
    }
}
