package org.dtls4j.handshake.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The vector rules of RFC 5246 §4.3 shared by every codec here: decoding checks a
 * {@code <min..max>} length in bytes and throws decode_error; the record constructors check the same
 * bounds with IllegalArgumentException, since building an unencodable message is a programming error.
 */
final class Codec {
    private Codec() {
    }

    /** Reads a length of {@code width} bytes, checks it against {@code [min, max]}, returns its body. */
    static Reader vector(Reader r, int width, int min, int max, String what) throws DtlsException {
        int len = switch (width) {
            case 1 -> r.u8();
            case 2 -> r.u16();
            default -> r.u24();
        };
        if (len < min || len > max) {
            throw DtlsException.decodeError(what + " length " + len + " outside " + min + ".." + max);
        }
        return r.sub(len);
    }

    /** Reads {@code opaque what<min..max>} with a {@code width}-byte length. */
    static Bytes opaque(Reader r, int width, int min, int max, String what) throws DtlsException {
        Reader v = vector(r, width, min, max, what);
        return Bytes.wrap(v.bytes(v.remaining()));
    }

    /** Reads a vector of 16-bit codes whose byte length lies in {@code [min, max]}. */
    static List<Integer> u16List(Reader r, int width, int min, int max, String what) throws DtlsException {
        Reader v = vector(r, width, min, max, what);
        if ((v.remaining() & 1) != 0) {
            throw DtlsException.decodeError(what + " has odd length " + v.remaining());
        }
        Integer[] codes = new Integer[v.remaining() / 2];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = v.u16();
        }
        return List.of(codes);
    }

    /** Reads a vector of 8-bit codes with a one-byte length in {@code [min, max]}. */
    static List<Integer> u8List(Reader r, int min, int max, String what) throws DtlsException {
        Reader v = vector(r, 1, min, max, what);
        Integer[] codes = new Integer[v.remaining()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = v.u8();
        }
        return List.of(codes);
    }

    static void opaque(Writer w, int width, Bytes b) {
        int mark = w.beginLength(width);
        b.writeTo(w);
        w.endLength(mark);
    }

    static void u16List(Writer w, int width, List<Integer> codes) {
        int mark = w.beginLength(width);
        for (int code : codes) {
            w.u16(code);
        }
        w.endLength(mark);
    }

    static void u8List(Writer w, List<Integer> codes) {
        int mark = w.beginLength(1);
        for (int code : codes) {
            w.u8(code);
        }
        w.endLength(mark);
    }

    /** Checks a field for a constructor: not null and {@code [min, max]} bytes long. */
    static Bytes bytes(Bytes b, int min, int max, String what) {
        Objects.requireNonNull(b, what);
        if (b.length() < min || b.length() > max) {
            throw new IllegalArgumentException(what + " length " + b.length() + " outside " + min + ".." + max);
        }
        return b;
    }

    /** An immutable copy of {@code codes}, each fitting {@code bits} bits, count in {@code [min, max]}. */
    static List<Integer> codes(List<Integer> codes, int bits, int min, int max, String what) {
        List<Integer> copy = List.copyOf(codes);
        count(copy.size(), min, max, what);
        for (int c : copy) {
            if (c >>> bits != 0) {
                throw new IllegalArgumentException(what + " code " + c + " does not fit " + bits + " bits");
            }
        }
        return copy;
    }

    /** An immutable copy of byte strings, each {@code [itemMin, itemMax]} long, with a total size. */
    static List<Bytes> items(List<Bytes> items, int itemMin, int itemMax, int prefix, int totalMin, int totalMax,
            String what) {
        List<Bytes> copy = List.copyOf(items);
        long total = 0;
        for (Bytes b : copy) {
            bytes(b, itemMin, itemMax, what);
            total += prefix + b.length();
        }
        if (total < totalMin || total > totalMax) {
            throw new IllegalArgumentException(what + " total length " + total + " outside " + totalMin + ".." + totalMax);
        }
        return copy;
    }

    /** Reads a vector of length-prefixed byte strings (certificates, names, protocols). */
    static List<Bytes> opaqueList(Reader r, int width, int min, int max, int itemWidth, int itemMin, int itemMax,
            String what) throws DtlsException {
        Reader v = vector(r, width, min, max, what);
        List<Bytes> out = new ArrayList<>();
        while (v.hasRemaining()) {
            out.add(opaque(v, itemWidth, itemMin, itemMax, what + " entry"));
        }
        return List.copyOf(out);
    }

    static void opaqueList(Writer w, int width, int itemWidth, List<Bytes> items) {
        int mark = w.beginLength(width);
        for (Bytes b : items) {
            opaque(w, itemWidth, b);
        }
        w.endLength(mark);
    }

    static void count(int n, int min, int max, String what) {
        if (n < min || n > max) {
            throw new IllegalArgumentException(what + " count " + n + " outside " + min + ".." + max);
        }
    }

    static int u8(int v, String what) {
        if ((v & ~0xff) != 0) {
            throw new IllegalArgumentException(what + " " + v + " does not fit 8 bits");
        }
        return v;
    }

    static int u16(int v, String what) {
        if ((v & ~0xffff) != 0) {
            throw new IllegalArgumentException(what + " " + v + " does not fit 16 bits");
        }
        return v;
    }
}
