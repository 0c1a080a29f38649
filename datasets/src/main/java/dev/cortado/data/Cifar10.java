package dev.cortado.data;

import dev.cortado.io.Download;

import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 from its binary version: {@code data_batch_1.bin} … {@code data_batch_5.bin} (train)
 * and {@code test_batch.bin} (test), in {@code root} or {@code root/cifar-10-batches-bin}. Each
 * record is one label byte and 3,072 pixel bytes (the red, green and blue 32×32 planes). With
 * {@code download}, the archive is fetched, checked against its published MD5 and unpacked.
 * Without the binary files, the python version that torchvision downloads is read instead
 * ({@code cifar-10-batches-py/data_batch_1} …: pickled dicts of a uint8 array and a label list),
 * so a folder torchvision filled serves as it is.
 */
public final class Cifar10 extends LabelledImages {
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
            "truck");
    static final int RECORD = 1 + CifarRecords.PIXELS;
    private static final CifarRecords FORMAT = new CifarRecords("CIFAR-10", List.of("labels"), new int[] {10});
    private static final String ARCHIVE = "cifar-10-binary.tar.gz";
    private static final String ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    private static final String FOLDER = "cifar-10-batches-bin";
    private static final String PYTHON_FOLDER = "cifar-10-batches-py";

    private final byte[] records;
    private final int count;

    private Cifar10(byte[] records, Transform<Image, Tensor> transform) {
        super(transform);
        this.records = records;
        this.count = records.length / RECORD;
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
            TarGz.unpack(archive, root.resolve(FOLDER), name -> name.endsWith(".bin"));
            dir = folder(root, train);
        }
        if (dir == null) {
            Path python = pythonFolder(root, train);
            if (python != null) {
                return new Cifar10(FORMAT.readPython(python, pythonFiles(train)), transform);
            }
            throw new IOException("CIFAR-10: " + String.join(", ", files(train)) + " not found in " + root.toAbsolutePath() + " or "
                    + root.resolve(FOLDER).toAbsolutePath() + ", nor the python version's " + String.join(", ", pythonFiles(train)) + " in "
                    + root.resolve(PYTHON_FOLDER).toAbsolutePath() + "; expected the binary version (" + ARCHIVE + " unpacked), or pass"
                    + " download=true");
        }
        return new Cifar10(FORMAT.readBinary(dir, files(train)), transform);
    }

    private static Path folder(Path root, boolean train) {
        return DataFiles.folderWith(List.of(root, root.resolve(FOLDER)), files(train));
    }

    static List<String> pythonFiles(boolean train) {
        return train ? List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5") : List.of("test_batch");
    }

    private static Path pythonFolder(Path root, boolean train) {
        return DataFiles.folderWith(List.of(root, root.resolve(PYTHON_FOLDER)), pythonFiles(train));
    }

    @Override
    public int size() {
        return count;
    }

    /** The stored image as HWC bytes (converted from the file's planar layout). */
    @Override
    public Image image(int index) {
        Dataset.checkIndex("CIFAR-10", index, count);
        return FORMAT.image(records, index);
    }

    @Override
    public long label(int index) {
        Dataset.checkIndex("CIFAR-10", index, count);
        return FORMAT.label(records, index, 0);
    }

    @Override
    public List<String> classes() {
        return CLASSES;
    }
}
