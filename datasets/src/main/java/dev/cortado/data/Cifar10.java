package dev.cortado.data;

import dev.cortado.io.Download;

import dev.cortado.io.NumpyArray;
import dev.cortado.io.TorchSerialization;
import dev.cortado.tensor.Tensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * CIFAR-10 from its binary version: {@code data_batch_1.bin} … {@code data_batch_5.bin} (train)
 * and {@code test_batch.bin} (test), in {@code root} or {@code root/cifar-10-batches-bin}. Each
 * record is one label byte and 3,072 pixel bytes (the red, green and blue 32×32 planes). With
 * {@code download}, the archive is fetched, checked against its published MD5 and unpacked.
 * Without the binary files, the python version that torchvision downloads is read instead
 * ({@code cifar-10-batches-py/data_batch_1} …: pickled dicts of a uint8 array and a label list),
 * so a folder torchvision filled serves as it is.
 */
public final class Cifar10 implements Dataset<Example> {
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
            "truck");
    static final int RECORD = 1 + 3 * 32 * 32;
    private static final String ARCHIVE = "cifar-10-binary.tar.gz";
    private static final String ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    private static final String FOLDER = "cifar-10-batches-bin";
    private static final String PYTHON_FOLDER = "cifar-10-batches-py";

    private final byte[] records;
    private final int count;
    private final Transform<Image, Tensor> transform;

    private Cifar10(byte[] records, Transform<Image, Tensor> transform) {
        this.records = records;
        this.count = records.length / RECORD;
        this.transform = transform;
    }

    static List<String> files(boolean train) {
        return train ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin")
                : List.of("test_batch.bin");
    }

    public static Cifar10 load(Path root, boolean train, boolean download, Transform<Image, Tensor> transform) throws IOException {
        return load(root, train, download, transform, System.err);
    }

    static Cifar10 load(Path root, boolean train, boolean download, Transform<Image, Tensor> transform, PrintStream progress)
            throws IOException {
        Path dir = folder(root, train);
        if (dir == null && download) {
            Path archive = Download.fetch(root, ARCHIVE, List.of("https://www.cs.toronto.edu/~kriz/"), Download.Checksum.md5(ARCHIVE_MD5), progress);
            unpack(archive, root.resolve(FOLDER));
            dir = folder(root, train);
        }
        if (dir == null) {
            Path python = pythonFolder(root, train);
            if (python != null) {
                return new Cifar10(fromPython(python, train), transform);
            }
            throw new IOException("CIFAR-10: " + String.join(", ", files(train)) + " not found in " + root.toAbsolutePath() + " or "
                    + root.resolve(FOLDER).toAbsolutePath() + ", nor the python version's " + String.join(", ", pythonFiles(train)) + " in "
                    + root.resolve(PYTHON_FOLDER).toAbsolutePath() + "; expected the binary version (" + ARCHIVE + " unpacked), or pass"
                    + " download=true");
        }
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String name : files(train)) {
            Path f = dir.resolve(name);
            byte[] data = Files.readAllBytes(f);
            if (data.length == 0 || data.length % RECORD != 0) {
                throw new IOException("CIFAR-10: " + f + " is " + data.length + " bytes, not a whole number of " + RECORD
                        + "-byte records (truncated or not the binary version)");
            }
            for (int r = 0; r < data.length; r += RECORD) {
                if ((data[r] & 0xFF) >= CLASSES.size()) {
                    throw new IOException("CIFAR-10: " + f + ": record " + r / RECORD + " has label " + (data[r] & 0xFF) + ", not 0..9");
                }
            }
            all.write(data);
        }
        return new Cifar10(all.toByteArray(), transform);
    }

    private static Path folder(Path root, boolean train) {
        for (Path dir : new Path[] {root, root.resolve(FOLDER)}) {
            if (files(train).stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
                return dir;
            }
        }
        return null;
    }

    static List<String> pythonFiles(boolean train) {
        return train ? List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5") : List.of("test_batch");
    }

    private static Path pythonFolder(Path root, boolean train) {
        for (Path dir : new Path[] {root, root.resolve(PYTHON_FOLDER)}) {
            if (pythonFiles(train).stream().allMatch(n -> Files.isRegularFile(dir.resolve(n)))) {
                return dir;
            }
        }
        return null;
    }

    /** The python batches as binary records: each file a dict of "data" (uint8, n × 3072, the planes) and "labels" (n ints). */
    private static byte[] fromPython(Path dir, boolean train) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (String name : pythonFiles(train)) {
            Path f = dir.resolve(name);
            if (!(TorchSerialization.loadPickle(f) instanceof java.util.Map<?, ?> batch)
                    || !(batch.get("data") instanceof NumpyArray data) || !(batch.get("labels") instanceof List<?> labels)) {
                throw new IOException("CIFAR-10: " + f + " is not a python batch (a dict with a numpy array \"data\" and a list \"labels\")");
            }
            int n = labels.size();
            if (!data.dtype().equals("u1") || data.shape().length != 2 || data.shape()[0] != n || data.shape()[1] != RECORD - 1) {
                throw new IOException("CIFAR-10: " + f + ": \"data\" is a " + data.dtype() + " array of shape "
                        + java.util.Arrays.toString(data.shape()) + ", expected uint8 (" + n + ", " + (RECORD - 1) + ") for its " + n + " labels");
            }
            for (int r = 0; r < n; r++) {
                if (!(labels.get(r) instanceof Long label) || label < 0 || label >= CLASSES.size()) {
                    throw new IOException("CIFAR-10: " + f + ": record " + r + " has label " + labels.get(r) + ", not 0..9");
                }
                all.write((int) (long) label);
                all.write(data.data(), r * (RECORD - 1), RECORD - 1);
            }
        }
        return all.toByteArray();
    }

    /** Extracts the .bin members of the tar.gz (ustar: 512-byte headers, name at 0, octal size at 124). */
    private static void unpack(Path archive, Path into) throws IOException {
        Files.createDirectories(into);
        byte[] tar;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(archive)))) {
            tar = in.readAllBytes();
        }
        for (int at = 0; at + 512 <= tar.length; ) {
            String name = new String(tar, at, 100, StandardCharsets.US_ASCII).replace("\0", "").trim();
            if (name.isEmpty()) {
                break;
            }
            long size = Long.parseLong(new String(tar, at + 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
            String base = name.substring(name.lastIndexOf('/') + 1);
            if (base.endsWith(".bin") && base.matches("[a-z_0-9]+\\.bin")) {
                Files.write(into.resolve(base), java.util.Arrays.copyOfRange(tar, at + 512, (int) (at + 512 + size)));
            }
            at += 512 + (int) ((size + 511) / 512 * 512);
        }
    }

    @Override
    public int size() {
        return count;
    }

    /** The stored image as HWC bytes (converted from the file's planar layout). */
    public Image image(int index) {
        Dataset.checkIndex("CIFAR-10", index, count);
        byte[] px = new byte[3 * 1024];
        int base = index * RECORD + 1;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 1024; p++) {
                px[p * 3 + c] = records[base + c * 1024 + p];
            }
        }
        return new Image(px, 32, 32, 3);
    }

    public long label(int index) {
        Dataset.checkIndex("CIFAR-10", index, count);
        return records[index * RECORD] & 0xFF;
    }

    @Override
    public Example get(int index) {
        return new Example(transform.apply(image(index)), label(index));
    }

    public List<String> classes() {
        return CLASSES;
    }

    public long[] labels() {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = records[i * RECORD] & 0xFF;
        }
        return out;
    }
}
