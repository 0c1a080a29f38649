package dev.cortado.data;

import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DeflaterOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SVHN from MAT-files written here as MATLAB writes them: uncompressed (-v6) and compressed
 * (-v7), little- and big-endian, the labels stored as bytes though their class is double.
 */
class SvhnTest {
    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_DOUBLE = 9;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;
    private static final int MX_CHAR = 4;
    private static final int MX_DOUBLE = 6;
    private static final int MX_UINT8 = 9;

    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    /** A level-5 MAT-file of the given matrix elements. */
    static byte[] matFile(ByteOrder order, byte[]... elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[128];
        byte[] text = "MATLAB 5.0 MAT-file, written by SvhnTest".getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(header, 0, 116, (byte) ' ');
        System.arraycopy(text, 0, header, 0, text.length);
        ByteBuffer.wrap(header, 124, 2).order(order).putShort((short) 0x0100);
        header[126] = (byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M');
        header[127] = (byte) (order == ByteOrder.LITTLE_ENDIAN ? 'M' : 'I');
        out.writeBytes(header);
        for (byte[] e : elements) {
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /** One data element: its tag and data padded to 8, or a small element when it fits in 4 bytes. */
    static byte[] element(ByteOrder order, int type, byte[] data, boolean allowSmall) {
        if (allowSmall && data.length <= 4) {
            ByteBuffer b = ByteBuffer.allocate(8).order(order).putInt(data.length << 16 | type);
            b.put(data);
            return b.array();
        }
        int padded = (data.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded).order(order).putInt(type).putInt(data.length);
        b.put(data);
        return b.array();
    }

    /** A numeric (or char) variable: flags, dimensions, name and real part stored as storage. */
    static byte[] matrix(ByteOrder order, String name, int mxClass, int[] dims, int storage, byte[] real) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(element(order, MI_UINT32, ByteBuffer.allocate(8).order(order).putInt(mxClass).putInt(0).array(), false));
        ByteBuffer d = ByteBuffer.allocate(4 * dims.length).order(order);
        for (int v : dims) {
            d.putInt(v);
        }
        body.writeBytes(element(order, MI_INT32, d.array(), false));
        body.writeBytes(element(order, MI_INT8, name.getBytes(StandardCharsets.US_ASCII), true));
        body.writeBytes(element(order, storage, real, false));
        return element(order, MI_MATRIX, body.toByteArray(), false);
    }

    static byte[] compressed(ByteOrder order, byte[] element) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(z)) {
            out.write(element);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        byte[] data = z.toByteArray();
        // A compressed element is not padded.
        return ByteBuffer.allocate(8 + data.length).order(order).putInt(MI_COMPRESSED).putInt(data.length).put(data).array();
    }

    /** X with pixel (row, col, channel) of image i = row + 2·col + 5·channel + 7·i, and the labels given (1..10). */
    static byte[][] svhnVariables(ByteOrder order, int[] labels) {
        int n = labels.length;
        byte[] x = new byte[n * 3072];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int col = 0; col < 32; col++) {
                    for (int row = 0; row < 32; row++) {
                        x[i * 3072 + c * 1024 + col * 32 + row] = (byte) (row + 2 * col + 5 * c + 7 * i);
                    }
                }
            }
        }
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) labels[i];
        }
        byte[] note = matrix(order, "note", MX_CHAR, new int[] {1, 2}, 4, new byte[] {0, 'h', 0, 'i'});
        return new byte[][] {note, matrix(order, "X", MX_UINT8, new int[] {32, 32, 3, n}, MI_UINT8, x),
            matrix(order, "y", MX_DOUBLE, new int[] {n, 1}, MI_UINT8, y)};
    }

    @Test
    void uncompressedCompressedAndBigEndianFilesReadAlike(@TempDir Path root) throws IOException {
        int[] labels = {10, 1, 5, 10, 9};
        for (String variant : new String[] {"v6", "v7", "big"}) {
            ByteOrder order = variant.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            byte[][] vars = svhnVariables(order, labels);
            if (variant.equals("v7")) {
                for (int i = 0; i < vars.length; i++) {
                    vars[i] = compressed(order, vars[i]);
                }
            }
            Path dir = Files.createDirectories(root.resolve(variant));
            Files.write(dir.resolve("test_32x32.mat"), matFile(order, vars));
            Svhn d = Svhn.load(dir, "test", false, Transforms.toTensor());
            assertEquals(5, d.size(), variant);
            assertArrayEquals(new long[] {0, 1, 5, 0, 9}, d.labels(), "10 is the digit 0 (" + variant + ")");
            Image image = d.image(3);
            // HWC: (row 4, col 6, channel 2) of image 3.
            assertEquals((4 + 2 * 6 + 5 * 2 + 7 * 3) & 0xFF, image.pixels()[(4 * 32 + 6) * 3 + 2] & 0xFF, variant);
            assertArrayEquals(new int[] {3, 32, 32}, d.get(3).input().shape());
            assertEquals(9, d.get(4).label());
        }
    }

    @Test
    void badFilesAndArgumentsAreRefusedByName(@TempDir Path root) throws IOException {
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        IOException e = assertThrows(IOException.class, () -> Svhn.load(root, "train", false, Transforms.toTensor()));
        assertTrue(e.getMessage().startsWith("SVHN: train_32x32.mat not found in"), e.getMessage());
        IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> Svhn.load(root, "valid", false, Transforms.toTensor()));
        assertEquals("SVHN: split must be \"train\", \"test\" or \"extra\", got \"valid\"", split.getMessage());

        Path file = root.resolve("train_32x32.mat");
        Files.write(file, "not a MAT-file at all".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(IOException.class, () -> Svhn.load(root, "train", false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("is not a MATLAB 5.0 MAT-file"), e.getMessage());

        byte[][] vars = svhnVariables(le, new int[] {1, 2});
        Files.write(file, matFile(le, vars[0], vars[1]));
        e = assertThrows(IOException.class, () -> Svhn.load(root, "train", false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("lacks the variable y"), e.getMessage());

        Files.write(file, matFile(le, vars[1], svhnVariables(le, new int[] {1, 11})[2]));
        e = assertThrows(IOException.class, () -> Svhn.load(root, "train", false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("label 1 is 11.0, not 1..10"), e.getMessage());

        Files.write(file, matFile(le, matrix(le, "X", MX_DOUBLE, new int[] {32, 32, 3, 1}, MI_DOUBLE, new byte[8 * 3072]), vars[2]));
        e = assertThrows(IOException.class, () -> Svhn.load(root, "train", false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("X is [32, 32, 3, 1], not stored as uint8; expected uint8 (32, 32, 3, n)"), e.getMessage());

        byte[] whole = matFile(le, vars[1], vars[2]);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 700));
        e = assertThrows(IOException.class, () -> Svhn.load(root, "train", false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("the MAT-file ends inside"), e.getMessage());
    }
}
