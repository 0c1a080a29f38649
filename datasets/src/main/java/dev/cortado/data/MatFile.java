package dev.cortado.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.InflaterInputStream;

/**
 * The numeric arrays of a MATLAB level-5 MAT-file (what {@code save} writes up to -v7, and
 * {@code scipy.io.loadmat} reads): a 128-byte header, then data elements, each a tag (type,
 * byte count) and its data padded to 8 bytes, or a small element of at most 4 bytes packed into
 * its tag; a zlib-compressed element (-v7) holds one such element. A variable is a matrix element
 * of array flags, dimensions, a name and its real part, column-major, in a storage type that may
 * be narrower than its class (a double array of small integers is stored as bytes). The file is
 * read as a stream, so the data of variables that are not asked for is skipped.
 */
final class MatFile {
    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT16 = 3;
    private static final int MI_UINT16 = 4;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_SINGLE = 7;
    private static final int MI_DOUBLE = 9;
    private static final int MI_INT64 = 12;
    private static final int MI_UINT64 = 13;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;
    /** mxCELL .. mxSPARSE: classes without one numeric real part. */
    private static final int LAST_NON_NUMERIC_CLASS = 5;
    private static final int COMPLEX_FLAG = 0x0800;

    private MatFile() {
    }

    /**
     * A numeric variable: MATLAB's dimensions, and its real part's bytes in the file's byte order
     * and storage type, column-major (the first index fastest).
     */
    record Array(String name, int[] dims, int storage, ByteOrder order, byte[] data) {
        long count() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        boolean isUint8() {
            return storage == MI_UINT8;
        }

        /** Element i as a double, whatever its storage type. */
        double value(int i) {
            ByteBuffer b = ByteBuffer.wrap(data).order(order);
            return switch (storage) {
                case MI_INT8 -> data[i];
                case MI_UINT8 -> data[i] & 0xFF;
                case MI_INT16 -> b.getShort(2 * i);
                case MI_UINT16 -> b.getShort(2 * i) & 0xFFFF;
                case MI_INT32 -> b.getInt(4 * i);
                case MI_UINT32 -> b.getInt(4 * i) & 0xFFFFFFFFL;
                case MI_SINGLE -> b.getFloat(4 * i);
                case MI_DOUBLE -> b.getDouble(8 * i);
                case MI_INT64, MI_UINT64 -> b.getLong(8 * i);
                default -> throw new IllegalStateException("MAT-file: no numeric storage type " + storage);
            };
        }
    }

    /** The numeric variables of file whose names are in wanted, by name. */
    static Map<String, Array> read(Path file, Set<String> wanted) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] header = raw.readNBytes(128);
            String text = new String(header, 0, Math.min(header.length, 116), StandardCharsets.US_ASCII);
            if (header.length < 128 || !text.startsWith("MATLAB 5.0 MAT-file")) {
                throw new IOException(file + " is not a MATLAB 5.0 MAT-file (its header does not start with \"MATLAB 5.0 MAT-file\";"
                        + " a -v7.3 file is HDF5 and is not read)");
            }
            ByteOrder order = header[126] == 'I' && header[127] == 'M' ? ByteOrder.LITTLE_ENDIAN
                    : header[126] == 'M' && header[127] == 'I' ? ByteOrder.BIG_ENDIAN : null;
            if (order == null) {
                throw new IOException(file + ": the MAT-file's endian indicator is neither IM nor MI");
            }
            Map<String, Array> found = new HashMap<>();
            Reader in = new Reader(raw, order, file);
            while (true) {
                long[] tag = in.tagOrEnd();
                if (tag == null) {
                    return found;
                }
                int type = (int) tag[0];
                long size = tag[1];
                if (type == MI_COMPRESSED) {
                    Bounded element = new Bounded(raw, size);
                    java.util.zip.Inflater inflater = new java.util.zip.Inflater();
                    try {
                        Reader inner = new Reader(new InflaterInputStream(element, inflater, 1 << 16), order, file);
                        long[] innerTag = inner.tag();
                        if ((int) innerTag[0] == MI_MATRIX) {
                            inner.matrix(innerTag[1], wanted, found);
                        }
                    } catch (java.util.zip.ZipException e) {
                        throw new IOException(file + ": a compressed element of the MAT-file is not valid zlib data (" + e.getMessage() + ")", e);
                    } finally {
                        inflater.end();
                    }
                    // What the element leaves unread (or all of it, if not a matrix) is skipped with it.
                    in.skip(element.left());
                } else if (type == MI_MATRIX) {
                    in.matrix(size, wanted, found);
                    in.skip(pad(size));
                } else {
                    in.skip(size + pad(size));
                }
            }
        }
    }

    private static long pad(long size) {
        return (8 - size % 8) % 8;
    }

    /** The element reader: tags (in either form), and a matrix's subelements. */
    private static final class Reader {
        final InputStream in;
        final ByteOrder order;
        final Path file;

        Reader(InputStream in, ByteOrder order, Path file) {
            this.in = in;
            this.order = order;
            this.file = file;
        }

        /** A tag as {type, byte count}, null at the end of the file. For a small element, its 4 data bytes are kept for {@link #data}. */
        long[] tagOrEnd() throws IOException {
            byte[] b = in.readNBytes(8);
            if (b.length == 0) {
                return null;
            }
            if (b.length < 8) {
                throw new IOException(file + ": the MAT-file ends inside a data element's tag");
            }
            return parse(b);
        }

        long[] tag() throws IOException {
            long[] t = tagOrEnd();
            if (t == null) {
                throw new IOException(file + ": the MAT-file ends where a data element was expected");
            }
            return t;
        }

        private byte[] small;

        private long[] parse(byte[] b) {
            ByteBuffer buf = ByteBuffer.wrap(b).order(order);
            int first = buf.getInt(0);
            if ((first >>> 16) != 0) {
                // Small element: byte count in the upper half of the first word, data in the second.
                small = java.util.Arrays.copyOfRange(b, 4, 4 + (first >>> 16));
                return new long[] {first & 0xFFFF, first >>> 16};
            }
            small = null;
            return new long[] {first, buf.getInt(4) & 0xFFFFFFFFL};
        }

        /** The data of the element whose tag was just read, and its padding. */
        byte[] data(long size, String what) throws IOException {
            if (small != null) {
                return small;
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + what + " is " + size + " bytes, more than one array holds");
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) {
                throw new IOException(file + ": the MAT-file ends inside " + what + " (" + data.length + " of " + size + " bytes)");
            }
            skip(pad(size));
            return data;
        }

        void skip(long n) throws IOException {
            try {
                in.skipNBytes(n);
            } catch (EOFException e) {
                throw new IOException(file + ": the MAT-file ends inside a data element", e);
            }
        }

        /** A matrix element of size bytes, its tag read: kept in found when numeric and wanted, else skipped. */
        void matrix(long size, Set<String> wanted, Map<String, Array> found) throws IOException {
            long[] flagsTag = tag();
            byte[] flags = data(flagsTag[1], "array flags");
            int mxClass = ByteBuffer.wrap(flags).order(order).getInt(0) & 0xFF;
            int flagBits = ByteBuffer.wrap(flags).order(order).getInt(0) & 0xFF00;
            long used = 8 + size(flagsTag);
            long[] dimsTag = tag();
            ByteBuffer dimBytes = ByteBuffer.wrap(data(dimsTag[1], "dimensions")).order(order);
            int[] dims = new int[(int) (dimsTag[1] / 4)];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = dimBytes.getInt(4 * i);
            }
            used += 8 + size(dimsTag);
            long[] nameTag = tag();
            String name = new String(data(nameTag[1], "an array name"), StandardCharsets.US_ASCII);
            used += 8 + size(nameTag);
            if (mxClass <= LAST_NON_NUMERIC_CLASS || !wanted.contains(name)) {
                skip(size - used);
                return;
            }
            if ((flagBits & COMPLEX_FLAG) != 0) {
                throw new IOException(file + ": variable " + name + " is complex; only real arrays are read");
            }
            long[] realTag = tag();
            byte[] real = data(realTag[1], "variable " + name);
            used += 8 + size(realTag);
            found.put(name, new Array(name, dims, (int) realTag[0], order, real));
            skip(size - used);
        }

        /** The bytes an element's data takes after its tag: none more for a small element, else its size padded to 8. */
        private long size(long[] tag) {
            return small != null ? 0 : tag[1] + pad(tag[1]);
        }
    }

    /** At most limit bytes of in, counting what is left, so that a compressed element's remainder can be skipped. */
    private static final class Bounded extends FilterInputStream {
        private long left;

        Bounded(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        long left() {
            return left;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // The file's stream stays open for the elements after this one.
        }
    }
}
