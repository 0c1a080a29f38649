package dev.cortado.data;

import dev.cortado.tensor.Generator;

import java.util.ArrayList;
import java.util.List;

/** {@code torch.utils.data.random_split}: a seeded permutation cut into consecutive pieces, PyTorch's for the same generator. */
public final class Splits {
    private Splits() {
    }

    /** Splits into subsets of the given lengths, which must add up to the data set's size. */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        long total = 0;
        for (int l : lengths) {
            if (l < 0) {
                throw new IllegalArgumentException("randomSplit: lengths must be non-negative, got " + java.util.Arrays.toString(lengths));
            }
            total += l;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: lengths " + java.util.Arrays.toString(lengths) + " add up to " + total
                    + ", the data set has " + dataset.size() + " samples");
        }
        int[] perm = generator.permutation(dataset.size());
        List<Subset<T>> out = new ArrayList<>();
        int at = 0;
        for (int l : lengths) {
            out.add(new Subset<>(dataset, java.util.Arrays.copyOfRange(perm, at, at + l)));
            at += l;
        }
        return out;
    }
}
