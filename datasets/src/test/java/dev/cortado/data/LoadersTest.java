package dev.cortado.data;


import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MNIST-format and CIFAR-10-format files written here, raw and gzipped, and every way they can be broken. */
class LoadersTest {
    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    static byte[] idxImages(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols).putInt(0x803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n * rows * cols; i++) {
            b.put((byte) (i * 7 + i / (rows * cols)));
        }
        return b.array();
    }

    static byte[] idxLabels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    static void write(Path file, byte[] data, boolean gz) throws IOException {
        if (!gz) {
            Files.write(file, data);
            return;
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(file + ".gz")))) {
            out.write(data);
        }
    }

    static void mnistFiles(Path dir, int train, int test, boolean gz) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), idxImages(train, 28, 28), gz);
        write(dir.resolve("train-labels-idx1-ubyte"), idxLabels(train), gz);
        write(dir.resolve("t10k-images-idx3-ubyte"), idxImages(test, 28, 28), gz);
        write(dir.resolve("t10k-labels-idx1-ubyte"), idxLabels(test), gz);
    }

    @Test
    void mnistRawAndGzipReadTheSame(@TempDir Path raw, @TempDir Path gz) throws IOException {
        mnistFiles(raw, 12, 5, false);
        mnistFiles(gz, 12, 5, true);
        Mnist a = Mnist.load(Mnist.Kind.MNIST, raw, true, false, Transforms.toTensor());
        Mnist b = Mnist.load(Mnist.Kind.FASHION_MNIST, gz, true, false, Transforms.toTensor());
        assertEquals(12, a.size());
        assertEquals(5, Mnist.load(Mnist.Kind.MNIST, raw, false, false, Transforms.toTensor()).size());
        // torchvision's layout: ROOT/FashionMNIST/raw/*.gz (and ROOT/MNIST/raw).
        Path torchvision = Files.createDirectories(raw.resolve("tv/FashionMNIST/raw"));
        mnistFiles(torchvision, 6, 5, true);
        assertEquals(6, Mnist.load(Mnist.Kind.FASHION_MNIST, raw.resolve("tv"), true, false, Transforms.toTensor()).size());
        Example e = a.get(3);
        assertArrayEquals(new int[] {1, 28, 28}, e.input().shape());
        assertEquals(3, e.label());
        assertArrayEquals(e.input().toFloatArray(), b.get(3).input().toFloatArray());
        int expected = (3 * 784 + 5 * 28 + 6) * 7 + 3 & 0xFF;
        assertEquals(expected / 255f, e.input().toFloatArray()[5 * 28 + 6], 1e-7);
        assertEquals("Ankle boot", b.classes().get(9));
        // Kuzushiji-MNIST: the same format, in torchvision's KMNIST/raw.
        Path kmnist = Files.createDirectories(raw.resolve("tv/KMNIST/raw"));
        mnistFiles(kmnist, 7, 5, true);
        Mnist k = Mnist.load(Mnist.Kind.KMNIST, raw.resolve("tv"), true, false, Transforms.toTensor());
        assertEquals(7, k.size());
        assertEquals("wo", k.classes().get(9));
    }

    private static void rejects(Path dir, String... parts) {
        IOException e = assertThrows(IOException.class, () -> Mnist.load(Mnist.Kind.MNIST, dir, true, false, Transforms.toTensor()));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void brokenMnistFilesNameTheFileAndTheRule(@TempDir Path dir) throws IOException {
        rejects(dir, "train-images-idx3-ubyte[.gz] not found", dir.toAbsolutePath().toString(), "download=true");
        mnistFiles(dir, 10, 2, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        byte[] good = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(good, good.length - 5));
        rejects(dir, images.toString(), "truncated");
        Files.write(images, java.util.Arrays.copyOf(good, good.length + 3));
        rejects(dir, "trailing bytes");
        byte[] magic = good.clone();
        magic[3] = 0x01;
        Files.write(images, magic);
        rejects(dir, "wrong magic number 0x801, expected 0x803");
        Files.write(images, idxImages(11, 28, 28));
        rejects(dir, "holds 11 images", "10 labels");
        Files.write(images, good);
        byte[] labels = idxLabels(10);
        labels[9] = 12;
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        rejects(dir, "label 12 at position 1");
        Files.delete(dir.resolve("train-labels-idx1-ubyte"));
        byte[] gz = java.util.Arrays.copyOf(gzip(idxLabels(10)), 12);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gz);
        rejects(dir, "train-labels-idx1-ubyte.gz", "truncated");
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3, 4, 5});
        rejects(dir, "not a valid gzip file");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] cifarBatch(int n, int labelOffset) {
        byte[] b = new byte[n * Cifar10.RECORD];
        for (int r = 0; r < n; r++) {
            b[r * Cifar10.RECORD] = (byte) ((r + labelOffset) % 10);
            for (int p = 1; p < Cifar10.RECORD; p++) {
                b[r * Cifar10.RECORD + p] = (byte) (p + r);
            }
        }
        return b;
    }

    @Test
    void cifarBinaryFiles(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i + ".bin"), cifarBatch(3, i));
        }
        Files.write(dir.resolve("test_batch.bin"), cifarBatch(4, 0));
        Cifar10 train = Cifar10.load(root, true, false, Transforms.toTensor());
        assertEquals(15, train.size());
        assertEquals(2, train.label(1));
        Tensor x = train.get(0).input();
        assertArrayEquals(new int[] {3, 32, 32}, x.shape());
        // Record 0 of batch 1: byte p + 0 at offset p; red plane pixel (0, 1) is byte 2, green (0, 0) is byte 1025.
        assertEquals(2 / 255f, x.toFloatArray()[1], 1e-7);
        assertEquals((1025 & 0xFF) / 255f, x.toFloatArray()[1024], 1e-7);
        assertEquals(4, Cifar10.load(root, false, false, Transforms.toTensor()).size());
        assertEquals("truck", train.classes().get(9));
        Files.write(dir.resolve("data_batch_3.bin"), java.util.Arrays.copyOf(cifarBatch(3, 0), Cifar10.RECORD * 3 - 7));
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(root, true, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("data_batch_3.bin") && e.getMessage().contains("3073-byte records"), e.getMessage());
        byte[] bad = cifarBatch(3, 0);
        bad[Cifar10.RECORD] = 10;
        Files.write(dir.resolve("data_batch_3.bin"), bad);
        e = assertThrows(IOException.class, () -> Cifar10.load(root, true, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("record 1 has label 10"), e.getMessage());
        Files.delete(dir.resolve("test_batch.bin"));
        e = assertThrows(IOException.class, () -> Cifar10.load(root, false, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("test_batch.bin not found"), e.getMessage());
    }

    /**
     * A python batch as CIFAR-10's files hold it (pickled by Python 2: str keys, a uint8 numpy
     * array whose bytes are a str): records as {@link #cifarBatch} makes them.
     */
    static byte[] cifarPythonBatch(int n, int labelOffset) {
        byte[] records = cifarBatch(n, labelOffset);
        byte[] labels = new byte[n];
        byte[] pixels = new byte[n * (Cifar10.RECORD - 1)];
        for (int r = 0; r < n; r++) {
            labels[r] = records[r * Cifar10.RECORD];
            System.arraycopy(records, r * Cifar10.RECORD + 1, pixels, r * (Cifar10.RECORD - 1), Cifar10.RECORD - 1);
        }
        var lists = new java.util.LinkedHashMap<String, byte[]>();
        lists.put("labels", labels);
        return pythonBatch(lists, pixels);
    }

    /**
     * A python batch as the CIFAR files hold it (pickled by Python 2: str keys, a uint8 numpy
     * array whose bytes are a str): the label lists by name (values below 256), then "data", the
     * planes of labels' length records.
     */
    static byte[] pythonBatch(java.util.Map<String, byte[]> labelLists, byte[] pixels) {
        var out = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<String> str = v -> {
            byte[] b = v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            out.write('U');
            out.write(b.length);
            out.writeBytes(b);
        };
        out.writeBytes(new byte[] {(byte) 0x80, 2, '}', '('});
        str.accept("batch_label");
        str.accept("training batch");
        int n = 0;
        for (var list : labelLists.entrySet()) {
            str.accept(list.getKey());
            out.writeBytes(new byte[] {']', '('});
            for (byte label : list.getValue()) {
                out.writeBytes(new byte[] {'K', label});
            }
            out.write('e');
            n = list.getValue().length;
        }
        str.accept("data");
        out.writeBytes("cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\u0000\u0085".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        str.accept("b");
        out.writeBytes(new byte[] {(byte) 0x87, 'R', '(', 'K', 1, 'K', (byte) n, 'M', 0, 12, (byte) 0x86});
        out.writeBytes("cnumpy\ndtype\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        str.accept("u1");
        out.writeBytes(new byte[] {'K', 0, 'K', 1, (byte) 0x87, 'R', '(', 'K', 3});
        str.accept("|");
        out.writeBytes(new byte[] {'N', 'N', 'N', 'J', -1, -1, -1, -1, 'J', -1, -1, -1, -1, 'K', 0, 't', 'b', (byte) 0x89, 'T'});
        out.writeBytes(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(pixels.length).array());
        out.writeBytes(pixels);
        out.writeBytes(new byte[] {'t', 'b', 'u', '.'});
        return out.toByteArray();
    }

    /** The python version torchvision downloads reads as the binary one does. */
    @Test
    void cifarPythonBatches(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-py"));
        Path binary = Files.createDirectories(root.resolve("binary"));
        for (int i = 1; i <= 5; i++) {
            Files.write(dir.resolve("data_batch_" + i), cifarPythonBatch(3, i));
            Files.write(binary.resolve("data_batch_" + i + ".bin"), cifarBatch(3, i));
        }
        Files.write(dir.resolve("test_batch"), cifarPythonBatch(4, 0));
        Cifar10 fromPython = Cifar10.load(root, true, false, Transforms.toTensor());
        Cifar10 fromBinary = Cifar10.load(binary, true, false, Transforms.toTensor());
        assertEquals(15, fromPython.size());
        assertArrayEquals(fromBinary.labels(), fromPython.labels());
        for (int i = 0; i < 15; i += 7) {
            assertArrayEquals(fromBinary.get(i).input().toFloatArray(), fromPython.get(i).input().toFloatArray(), "image " + i);
        }
        assertEquals(4, Cifar10.load(root, false, false, Transforms.toTensor()).size());
        byte[] mislabelled = cifarPythonBatch(3, 0);
        mislabelled[indexOfLabels(mislabelled) + 3] = 12;
        Files.write(dir.resolve("data_batch_2"), mislabelled);
        IOException e = assertThrows(IOException.class, () -> Cifar10.load(root, true, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("data_batch_2: record 1 has label 12"), e.getMessage());
        Files.write(dir.resolve("data_batch_2"), new byte[] {(byte) 0x80, 2, ']', '.'});
        e = assertThrows(IOException.class, () -> Cifar10.load(root, true, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("data_batch_2 is not a python batch"), e.getMessage());
    }

    /** CIFAR-100 records: coarse label (r mod 20), fine label (r·7 mod 100), then pixels as {@link #cifarBatch}'s. */
    static byte[] cifar100Binary(int n) {
        int record = 2 + 3072;
        byte[] b = new byte[n * record];
        for (int r = 0; r < n; r++) {
            b[r * record] = (byte) (r % 20);
            b[r * record + 1] = (byte) (r * 7 % 100);
            for (int p = 2; p < record; p++) {
                b[r * record + p] = (byte) (p + r);
            }
        }
        return b;
    }

    static byte[] cifar100Python(int n) {
        byte[] records = cifar100Binary(n);
        int record = 2 + 3072;
        byte[] coarse = new byte[n];
        byte[] fine = new byte[n];
        byte[] pixels = new byte[n * 3072];
        for (int r = 0; r < n; r++) {
            coarse[r] = records[r * record];
            fine[r] = records[r * record + 1];
            System.arraycopy(records, r * record + 2, pixels, r * 3072, 3072);
        }
        var lists = new java.util.LinkedHashMap<String, byte[]>();
        lists.put("fine_labels", fine);
        lists.put("coarse_labels", coarse);
        return pythonBatch(lists, pixels);
    }

    /** CIFAR-100's python version (torchvision's) and binary version read alike: fine labels as targets, coarse ones beside. */
    @Test
    void cifar100PythonAndBinary(@TempDir Path root, @TempDir Path binaryRoot) throws IOException {
        Path python = Files.createDirectories(root.resolve("cifar-100-python"));
        Files.write(python.resolve("train"), cifar100Python(9));
        Files.write(python.resolve("test"), cifar100Python(4));
        Path binary = Files.createDirectories(binaryRoot.resolve("cifar-100-binary"));
        Files.write(binary.resolve("train.bin"), cifar100Binary(9));
        Cifar100 fromPython = Cifar100.load(root, true, false, Transforms.toTensor());
        Cifar100 fromBinary = Cifar100.load(binaryRoot, true, false, Transforms.toTensor());
        assertEquals(9, fromPython.size());
        assertEquals(4, Cifar100.load(root, false, false, Transforms.toTensor()).size());
        assertArrayEquals(fromBinary.labels(), fromPython.labels());
        assertEquals(7 * 3 % 100, fromPython.label(3));
        assertEquals(3, fromPython.coarseLabel(3));
        assertEquals(fromPython.label(5), fromPython.get(5).label());
        for (int i = 0; i < 9; i += 4) {
            assertArrayEquals(fromBinary.get(i).input().toFloatArray(), fromPython.get(i).input().toFloatArray(), "image " + i);
        }
        Tensor x = fromPython.get(1).input();
        assertArrayEquals(new int[] {3, 32, 32}, x.shape());
        // Red plane first: pixel p of record r holds (p + 2 + r) mod 256.
        assertEquals(((0 + 2 + 1) & 0xFF) / 255f, x.toFloatArray()[0], 1e-7);
        assertEquals(100, Cifar100.CLASSES.size());
        assertEquals(20, Cifar100.SUPERCLASSES.size());
        assertEquals("worm", fromPython.classes().get(99));

        byte[] bad = cifar100Binary(9);
        bad[(2 + 3072) * 2 + 1] = 100;
        Files.write(binary.resolve("train.bin"), bad);
        IOException e = assertThrows(IOException.class, () -> Cifar100.load(binaryRoot, true, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("train.bin: record 2 has fine_labels 100, not 0..99"), e.getMessage());
        Files.write(binary.resolve("train.bin"), java.util.Arrays.copyOf(bad, 100));
        e = assertThrows(IOException.class, () -> Cifar100.load(binaryRoot, true, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("not a whole number of 3074-byte records"), e.getMessage());
        var onlyFine = new java.util.LinkedHashMap<String, byte[]>();
        onlyFine.put("fine_labels", new byte[] {1});
        Files.write(python.resolve("test"), pythonBatch(onlyFine, new byte[3072]));
        e = assertThrows(IOException.class, () -> Cifar100.load(root, false, false, Transforms.toTensor()));
        assertTrue(e.getMessage().contains("test is not a python batch (a dict with a numpy array \"data\" and lists of equal length"
                + " \"coarse_labels\", \"fine_labels\")"), e.getMessage());
        e = assertThrows(IOException.class, () -> Cifar100.load(root.resolve("elsewhere"), true, false, Transforms.toTensor()));
        assertTrue(e.getMessage().startsWith("CIFAR-100: train not found in"), e.getMessage());
    }

    /** Where the label list's first K opcode is, in {@link #cifarPythonBatch}'s bytes. */
    private static int indexOfLabels(byte[] pickle) {
        String s = new String(pickle, java.nio.charset.StandardCharsets.ISO_8859_1);
        return s.indexOf("labels") + "labels".length() + 2;
    }
}
