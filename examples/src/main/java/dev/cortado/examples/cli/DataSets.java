package dev.cortado.examples.cli;

import dev.cortado.data.Image;
import dev.cortado.data.Mnist;
import dev.cortado.data.Transform;
import dev.cortado.tensor.Generator;
import dev.cortado.tensor.Tensor;

import java.io.IOException;
import java.util.Arrays;

/** Where the commands find their data sets, and the seeded subsets the notebooks train on. */
public final class DataSets {
    private DataSets() {
    }

    /** MNIST from DIR/mnist (or DIR), Fashion-MNIST from DIR/fashion-mnist (or DIR). */
    public static Mnist mnist(CommonOptions c, Mnist.Kind kind, boolean train, Transform<Image, Tensor> transform) throws IOException {
        String folder = switch (kind) {
            case MNIST -> "mnist";
            case FASHION_MNIST -> "fashion-mnist";
            case KMNIST -> "kmnist";
        };
        return Mnist.load(kind, c.data(folder), train, c.download, transform);
    }

    /** {@code k} distinct indices of 0..n-1 drawn with {@code seed} (all of them, shuffled, when k >= n), sorted. */
    public static int[] randomSubset(int n, int k, long seed) {
        int[] perm = new Generator(seed).permutation(n);
        int[] out = Arrays.copyOf(perm, Math.min(k, n));
        Arrays.sort(out);
        return out;
    }
}
