package dev.docksmith.storage.xodus;

import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Byte encodings of the keys. Xodus orders keys by their unsigned bytes, so times are written big-endian
 * with the sign bit of the seconds flipped: byte order is then time order, and a cursor walking backwards
 * from the last key reads newest first without sorting anything.
 */
final class Keys {
    /** Epoch seconds (8 bytes) and nanoseconds (4 bytes). */
    static final int TIME_LENGTH = 12;
    private static final byte NAMESPACE_END = 0;

    private Keys() {
    }

    static ByteIterable utf8(String text) {
        return new ArrayByteIterable(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(ByteIterable bytes) {
        return new String(bytes.getBytesUnsafe(), 0, bytes.getLength(), StandardCharsets.UTF_8);
    }

    /** Operation index: start time, then the id so equal times stay distinct. */
    static ByteIterable startedAt(Instant startedAt, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return new ArrayByteIterable(time(ByteBuffer.allocate(TIME_LENGTH + idBytes.length), startedAt).put(idBytes).array());
    }

    /** Check history: check time, then a sequence so several checks at one instant are all kept. */
    static ByteIterable checkedAt(Instant checkedAt, long sequence) {
        return new ArrayByteIterable(time(ByteBuffer.allocate(TIME_LENGTH + Long.BYTES), checkedAt).putLong(sequence).array());
    }

    /** The first possible check key at {@code time}: where a cursor starts for "at or after". */
    static ByteIterable checkedAt(Instant time) {
        return new ArrayByteIterable(time(ByteBuffer.allocate(TIME_LENGTH), time).array());
    }

    static Instant instant(ByteIterable key) {
        ByteBuffer buffer = ByteBuffer.wrap(key.getBytesUnsafe(), 0, key.getLength());
        return Instant.ofEpochSecond(buffer.getLong() ^ Long.MIN_VALUE, buffer.getInt());
    }

    /** The sequence part of a check key. */
    static long sequence(ByteIterable key) {
        return ByteBuffer.wrap(key.getBytesUnsafe(), 0, key.getLength()).getLong(TIME_LENGTH);
    }

    /** True when both keys carry the same time. */
    static boolean sameTime(ByteIterable key, ByteIterable timePrefix) {
        return key.getLength() >= TIME_LENGTH && Arrays.equals(
                key.getBytesUnsafe(), 0, TIME_LENGTH, timePrefix.getBytesUnsafe(), 0, TIME_LENGTH);
    }

    /** Settings: the namespace, a zero byte, then the key; so one namespace is one contiguous key range. */
    static ByteIterable setting(String namespace, String key) {
        return new ArrayByteIterable(concat(namespacePrefix(namespace), key.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] namespacePrefix(String namespace) {
        if (namespace.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a settings namespace may not contain a NUL character");
        }
        return concat(namespace.getBytes(StandardCharsets.UTF_8), new byte[] {NAMESPACE_END});
    }

    static boolean startsWith(ByteIterable key, byte[] prefix) {
        return key.getLength() >= prefix.length && Arrays.equals(key.getBytesUnsafe(), 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The part of a settings key after its namespace prefix. */
    static String settingKey(ByteIterable key, int prefixLength) {
        return new String(key.getBytesUnsafe(), prefixLength, key.getLength() - prefixLength, StandardCharsets.UTF_8);
    }

    private static ByteBuffer time(ByteBuffer buffer, Instant time) {
        return buffer.putLong(time.getEpochSecond() ^ Long.MIN_VALUE).putInt(time.getNano());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
