package dev.cortado.data;

import dev.cortado.io.Download;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * STL-10, as torchvision's {@code STL10}: 96×96 colour images in {@code stl10_binary/}, 5,000
 * labelled training images ({@code train_X.bin}, {@code train_y.bin}), 8,000 test images and
 * 100,000 unlabelled ones ({@code unlabeled_X.bin}, label -1 as in torchvision). Each image is
 * 27,648 bytes, its three planes stored column by column; labels are bytes 1..10, read as 0..9.
 * Images are read from the file when asked for (the unlabelled file alone is 2.8 GB). A training
 * fold (0..9) keeps the 1,000 images that {@code fold_indices.txt} lists for it. With
 * {@code download}, the 2.6 GB archive is fetched, checked against its MD5 and unpacked as a stream.
 */
public final class Stl10 extends LabelledImages {
    public static final List<String> CLASSES = List.of("airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck");
    private static final int SIDE = 96;
    private static final int BYTES = 3 * SIDE * SIDE;
    private static final String FOLDER = "stl10_binary";
    private static final String ARCHIVE = "stl10_binary.tar.gz";
    private static final String ARCHIVE_MD5 = "91f7769df0f17e558f3565bffb0c7dfb";

    /** Where each sample's image lies: its file and its index there. */
    private final List<Path> files;
    private final int[] fileOf;
    private final long[] indexInFile;
    private final byte[] labels;

    private Stl10(List<Path> files, int[] fileOf, long[] indexInFile, byte[] labels, Transform<Image, Tensor> transform) {
        super(transform);
        this.files = files;
        this.fileOf = fileOf;
        this.indexInFile = indexInFile;
        this.labels = labels;
    }

    /**
     * split is "train", "test", "unlabeled" or "train+unlabeled"; fold (0..9, or -1 for none)
     * keeps one of the ten predefined 1,000-image subsets of the training images.
     */
    public static Stl10 load(Path root, String split, int fold, boolean download, Transform<Image, Tensor> transform) throws IOException {
        return load(root, split, fold, download, transform, System.err);
    }

    static Stl10 load(Path root, String split, int fold, boolean download, Transform<Image, Tensor> transform, PrintStream progress)
            throws IOException {
        if (!List.of("train", "test", "unlabeled", "train+unlabeled").contains(split)) {
            throw new IllegalArgumentException("STL-10: split must be \"train\", \"test\", \"unlabeled\" or \"train+unlabeled\", got \"" + split + "\"");
        }
        if (fold < -1 || fold > 9 || fold >= 0 && split.equals("test") || fold >= 0 && split.equals("unlabeled")) {
            throw new IllegalArgumentException("STL-10: fold must be -1 (none) or 0..9, and only for a split with the training images; got "
                    + fold + " for \"" + split + "\"");
        }
        List<String> needed = switch (split) {
            case "train" -> List.of("train_X.bin", "train_y.bin");
            case "test" -> List.of("test_X.bin", "test_y.bin");
            case "unlabeled" -> List.of("unlabeled_X.bin");
            default -> List.of("train_X.bin", "train_y.bin", "unlabeled_X.bin");
        };
        List<String> withFolds = new ArrayList<>(needed);
        if (fold >= 0) {
            withFolds.add("fold_indices.txt");
        }
        Path dir = DataFiles.folderWith(List.of(root, root.resolve(FOLDER)), withFolds);
        if (dir == null && download) {
            Path archive = Download.fetch(root, ARCHIVE, List.of("http://ai.stanford.edu/~acoates/stl10/"), Download.Checksum.md5(ARCHIVE_MD5),
                    progress);
            TarGz.unpack(archive, root.resolve(FOLDER), name -> name.endsWith(".bin") || name.endsWith(".txt"));
            dir = DataFiles.folderWith(List.of(root.resolve(FOLDER)), withFolds);
        }
        if (dir == null) {
            throw new IOException("STL-10: " + String.join(", ", withFolds) + " not found in " + root.toAbsolutePath() + " or "
                    + root.resolve(FOLDER).toAbsolutePath() + "; expected " + ARCHIVE + " unpacked, or pass download=true");
        }
        List<Path> files = new ArrayList<>();
        List<long[]> picks = new ArrayList<>();
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        if (!split.equals("unlabeled")) {
            String x = split.equals("test") ? "test_X.bin" : "train_X.bin";
            String y = split.equals("test") ? "test_y.bin" : "train_y.bin";
            long n = images(dir.resolve(x));
            byte[] ys = Files.readAllBytes(dir.resolve(y));
            if (ys.length != n) {
                throw new IOException("STL-10: " + dir.resolve(y) + " has " + ys.length + " labels for the " + n + " images of " + x);
            }
            long[] at = fold >= 0 ? fold(dir.resolve("fold_indices.txt"), fold, n) : range(n);
            files.add(dir.resolve(x));
            picks.add(at);
            for (long i : at) {
                int v = ys[(int) i] & 0xFF;
                if (v < 1 || v > 10) {
                    throw new IOException("STL-10: " + dir.resolve(y) + ": label " + i + " is " + v + ", not 1..10");
                }
                labels.write(v - 1);
            }
        }
        if (split.contains("unlabeled")) {
            Path u = dir.resolve("unlabeled_X.bin");
            long[] at = range(images(u));
            files.add(u);
            picks.add(at);
            for (int i = 0; i < at.length; i++) {
                labels.write(-1);
            }
        }
        int total = picks.stream().mapToInt(p -> p.length).sum();
        int[] fileOf = new int[total];
        long[] indexInFile = new long[total];
        int k = 0;
        for (int f = 0; f < picks.size(); f++) {
            for (long i : picks.get(f)) {
                fileOf[k] = f;
                indexInFile[k++] = i;
            }
        }
        return new Stl10(files, fileOf, indexInFile, labels.toByteArray(), transform);
    }

    private static long images(Path file) throws IOException {
        long size = Files.size(file);
        if (size == 0 || size % BYTES != 0) {
            throw new IOException("STL-10: " + file + " is " + size + " bytes, not a whole number of " + BYTES + "-byte images");
        }
        return size / BYTES;
    }

    private static long[] range(long n) {
        long[] out = new long[(int) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Line fold of fold_indices.txt: the training images' indices, separated by spaces. */
    private static long[] fold(Path file, int fold, long n) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (fold >= lines.size()) {
            throw new IOException("STL-10: " + file + " has " + lines.size() + " folds, not fold " + fold);
        }
        String[] parts = lines.get(fold).trim().split("\\s+");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i]);
            } catch (NumberFormatException e) {
                throw new IOException("STL-10: " + file + ": fold " + fold + " lists \"" + parts[i] + "\", not an image index");
            }
            if (out[i] < 0 || out[i] >= n) {
                throw new IOException("STL-10: " + file + ": fold " + fold + " lists image " + out[i] + " of " + n);
            }
        }
        return out;
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** The image as HWC bytes, read from its file and turned from the planes' column order. */
    @Override
    public Image image(int index) {
        Dataset.checkIndex("STL-10", index, labels.length);
        ByteBuffer raw = ByteBuffer.allocate(BYTES);
        Path file = files.get(fileOf[index]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = indexInFile[index] * BYTES;
            while (raw.hasRemaining()) {
                if (ch.read(raw, at + raw.position()) < 0) {
                    throw new IOException("ends early");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("STL-10: reading image " + indexInFile[index] + " of " + file, e);
        }
        return Image.fromColumnPlanes(raw.array(), 0, SIDE, SIDE, 3);
    }

    /** The class, 0..9, or -1 for an unlabelled image. */
    @Override
    public long label(int index) {
        Dataset.checkIndex("STL-10", index, labels.length);
        return labels[index];
    }

    @Override
    public List<String> classes() {
        return CLASSES;
    }
}
