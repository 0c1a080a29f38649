package dev.cortado.data;

import dev.cortado.io.Download;

import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST, Fashion-MNIST and Kuzushiji-MNIST from their IDX files, raw or gzipped, directly in {@code root}:
 * {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}. Samples are
 * {@link Image}s (28×28×1) passed through the transform; with {@code download}, missing files are
 * fetched from the canonical mirrors and checked against the published MD5s.
 *
 * <pre>{@code var train = Mnist.load(Mnist.Kind.MNIST, Path.of("../shared/data/mnist"), true, false, Transforms.toTensor());}</pre>
 */
public final class Mnist extends LabelledImages {
    /** Which of the two data sets, with its files' published checksums, mirrors and class names. */
    public enum Kind {
        MNIST(List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
                new String[] {"f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432", "9fb629c4189551a2d022fa330f9573f3",
                    "ec29112dd5afa0611ce80d1b7f02629c"},
                List.of("0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight",
                        "9 - nine")),
        FASHION_MNIST(List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                new String[] {"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe", "bef4ecab320f06d8554ea6380940ec79",
                    "bb300cfdad3c16e7a12a480ee83cd310"},
                List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")),
        /** Kuzushiji-MNIST: ten cursive Japanese characters, in MNIST's format and sizes (torchvision's {@code KMNIST}). */
        KMNIST(List.of("http://codh.rois.ac.jp/kmnist/dataset/kmnist/"),
                new String[] {"bdb82020997e1d708af4cf47b453dcf7", "e144d726b3acfaa3e44228e80efcd344", "5c965bf0a639b31b8f53240b1b52f4d7",
                    "7320c461ea6c1c855c0b718fb2a4b134"},
                List.of("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"));

        final List<String> mirrors;
        final String[] md5;
        public final List<String> classes;

        Kind(List<String> mirrors, String[] md5, List<String> classes) {
            this.mirrors = mirrors;
            this.md5 = md5;
            this.classes = classes;
        }
    }

    static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final int rows;
    private final int cols;
    private final Kind kind;

    private Mnist(Kind kind, byte[] pixels, byte[] labels, int count, int rows, int cols, Transform<Image, Tensor> transform) {
        super(transform);
        this.kind = kind;
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
    }

    /** Loads the train (60,000) or test (10,000) split from {@code root}, downloading missing files when asked. */
    public static Mnist load(Kind kind, Path root, boolean train, boolean download, Transform<Image, Tensor> transform) throws IOException {
        return load(kind, root, train, download, transform, System.err);
    }

    static Mnist load(Kind kind, Path root, boolean train, boolean download, Transform<Image, Tensor> transform, PrintStream progress)
            throws IOException {
        int first = train ? 0 : 2;
        Path images = locate(kind, root, first, download, progress);
        Path labelFile = locate(kind, root, first + 1, download, progress);
        Idx img = Idx.read(images, 0x803, 3);
        Idx lab = Idx.read(labelFile, 0x801, 1);
        if (img.dims[0] != lab.dims[0]) {
            throw new IOException(kind + ": " + images + " holds " + img.dims[0] + " images but " + labelFile + " holds " + lab.dims[0]
                    + " labels");
        }
        for (int i = 0; i < lab.data.length; i++) {
            if ((lab.data[i] & 0xFF) >= kind.classes.size()) {
                throw new IOException(kind + ": " + labelFile + ": label " + (lab.data[i] & 0xFF) + " at position " + i
                        + " is not a class (0.." + (kind.classes.size() - 1) + ")");
            }
        }
        return new Mnist(kind, img.data, lab.data, img.dims[0], img.dims[1], img.dims[2], transform);
    }

    /** Where torchvision keeps the IDX files under its root: {@code MNIST/raw}, {@code FashionMNIST/raw} or {@code KMNIST/raw}. */
    static Path torchvisionFolder(Kind kind, Path root) {
        String folder = switch (kind) {
            case MNIST -> "MNIST";
            case FASHION_MNIST -> "FashionMNIST";
            case KMNIST -> "KMNIST";
        };
        return root.resolve(folder).resolve("raw");
    }

    private static Path locate(Kind kind, Path root, int file, boolean download, PrintStream progress) throws IOException {
        Path p = DataFiles.find(root, FILES[file]);
        if (p == null) {
            p = DataFiles.find(torchvisionFolder(kind, root), FILES[file]);
        }
        if (p != null) {
            return p;
        }
        if (!download) {
            throw new IOException(kind + ": " + FILES[file] + "[.gz] not found in " + root.toAbsolutePath() + " or "
                    + torchvisionFolder(kind, root).toAbsolutePath() + " (torchvision's layout); expected the four IDX files "
                    + String.join(", ", FILES) + " (raw or .gz) there, or pass download=true to fetch them from " + kind.mirrors.get(0));
        }
        try {
            return Download.fetch(root, FILES[file] + ".gz", kind.mirrors, Download.Checksum.md5(kind.md5[file]), progress);
        } catch (IOException e) {
            throw new IOException(kind + ": " + FILES[file] + " is not in " + root.toAbsolutePath() + " and " + e.getMessage()
                    + "\n  (offline? copy the files there by hand)", e);
        }
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public Image image(int index) {
        Dataset.checkIndex(kind.name(), index, count);
        int n = rows * cols;
        byte[] px = new byte[n];
        System.arraycopy(pixels, index * n, px, 0, n);
        return new Image(px, rows, cols, 1);
    }

    @Override
    public long label(int index) {
        Dataset.checkIndex(kind.name(), index, count);
        return labels[index] & 0xFF;
    }

    @Override
    public List<String> classes() {
        return kind.classes;
    }

    /** An IDX file's dims and payload, checked against the expected magic and rank. */
    record Idx(int[] dims, byte[] data) {
        static Idx read(Path file, int magic, int rank) throws IOException {
            byte[] all = DataFiles.read(file);
            int header = 4 + 4 * rank;
            if (all.length < header) {
                throw new IOException(file + ": " + all.length + " bytes, too short for an IDX header of " + header);
            }
            int m = DataFiles.bigEndianInt(all, 0);
            if (m != magic) {
                throw new IOException(file + ": wrong magic number 0x" + Integer.toHexString(m) + ", expected 0x" + Integer.toHexString(magic)
                        + " (unsigned bytes, " + rank + " dims)");
            }
            int[] dims = new int[rank];
            long n = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = DataFiles.bigEndianInt(all, 4 + 4 * d);
                if (dims[d] < 0) {
                    throw new IOException(file + ": negative size " + dims[d] + " in dim " + d);
                }
                n *= dims[d];
            }
            if (all.length - header != n) {
                throw new IOException(file + ": header promises " + n + " bytes of data (dims " + java.util.Arrays.toString(dims) + "), file has "
                        + (all.length - header) + (all.length - header < n ? " (truncated)" : " (trailing bytes)"));
            }
            return new Idx(dims, java.util.Arrays.copyOfRange(all, header, all.length));
        }
    }
}
