package dev.cortado.data;

import dev.cortado.io.Download;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Street View House Numbers, cropped digits (torchvision's {@code SVHN}): 32×32 colour
 * images from {@code train_32x32.mat} (73,257), {@code test_32x32.mat} (26,032) or
 * {@code extra_32x32.mat} (531,131), MAT-files whose {@code X} is (32, 32, 3, n) uint8 and whose
 * {@code y} holds labels 1..10, 10 standing for the digit 0, which becomes label 0 here as in
 * torchvision. With {@code download}, the split's file is fetched and checked against its
 * published MD5.
 */
public final class Svhn extends LabelledImages {
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final int PIXELS = 32 * 32 * 3;
    private static final Map<String, String> MD5 = Map.of("train", "e26dedcc434d2e4c54c9b2d4a06d8373", "test",
            "eb5a983be6a315427106f1b164d9cef3", "extra", "a93ce644f1a588dc4d68dda5feec44a7");

    /** The file's X: per image, its three planes with rows fastest (MATLAB's column-major order). */
    private final byte[] pixels;
    private final byte[] labels;

    private Svhn(byte[] pixels, byte[] labels, Transform<Image, Tensor> transform) {
        super(transform);
        this.pixels = pixels;
        this.labels = labels;
    }

    /** split is "train", "test" or "extra"; the file is {@code root/<split>_32x32.mat}. */
    public static Svhn load(Path root, String split, boolean download, Transform<Image, Tensor> transform) throws IOException {
        return load(root, split, download, transform, System.err);
    }

    static Svhn load(Path root, String split, boolean download, Transform<Image, Tensor> transform, PrintStream progress) throws IOException {
        if (!MD5.containsKey(split)) {
            throw new IllegalArgumentException("SVHN: split must be \"train\", \"test\" or \"extra\", got \"" + split + "\"");
        }
        String name = split + "_32x32.mat";
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file)) {
            if (!download) {
                throw new IOException("SVHN: " + name + " not found in " + root.toAbsolutePath() + "; pass download=true to fetch it");
            }
            file = Download.fetch(root, name, List.of("http://ufldl.stanford.edu/housenumbers/"), Download.Checksum.md5(MD5.get(split)), progress);
        }
        Map<String, MatFile.Array> vars = MatFile.read(file, Set.of("X", "y"));
        MatFile.Array x = vars.get("X");
        MatFile.Array y = vars.get("y");
        if (x == null || y == null) {
            throw new IOException("SVHN: " + file + " lacks the variable " + (x == null ? "X" : "y") + "; expected X (32, 32, 3, n) and y (n, 1)");
        }
        int[] d = x.dims();
        if (d.length != 4 || d[0] != 32 || d[1] != 32 || d[2] != 3 || !x.isUint8()) {
            throw new IOException("SVHN: " + file + ": X is " + java.util.Arrays.toString(d) + (x.isUint8() ? "" : ", not stored as uint8")
                    + "; expected uint8 (32, 32, 3, n)");
        }
        int n = d[3];
        if (y.count() != n) {
            throw new IOException("SVHN: " + file + ": y has " + y.count() + " labels for " + n + " images");
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            double v = y.value(i);
            if (v != Math.rint(v) || v < 1 || v > 10) {
                throw new IOException("SVHN: " + file + ": label " + i + " is " + v + ", not 1..10");
            }
            labels[i] = (byte) (v == 10 ? 0 : v);
        }
        return new Svhn(x.data(), labels, transform);
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** The image as HWC bytes, from the file's column-major planes. */
    @Override
    public Image image(int index) {
        Dataset.checkIndex("SVHN", index, labels.length);
        return Image.fromColumnPlanes(pixels, index * PIXELS, 32, 32, 3);
    }

    /** The digit, 0..9. */
    @Override
    public long label(int index) {
        Dataset.checkIndex("SVHN", index, labels.length);
        return labels[index];
    }

    @Override
    public List<String> classes() {
        return CLASSES;
    }
}
