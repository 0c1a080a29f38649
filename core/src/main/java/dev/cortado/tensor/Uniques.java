package dev.cortado.tensor;

import dev.cortado.autograd.GradMode;

import java.util.Arrays;
import java.util.Comparator;

/**
 * {@code torch.unique} and {@code torch.unique_consecutive}, worked out on the host (the output's
 * size depends on the values, so they are read back anyway): elements, or slices along a dim
 * compared element by element. Sorted ascending with NaN last; a NaN equals nothing, not even
 * another NaN, so each is its own value (as {@code ==} has it). Not differentiable, as in PyTorch.
 */
final class Uniques {
    private Uniques() {
    }

    static UniqueResult unique(Tensor x, Integer dim, boolean sort) {
        String op = sort ? "unique" : "unique_consecutive";
        Tensor rows;
        int d;
        if (dim == null) {
            rows = x.reshape(-1, 1);
            d = -1;
        } else {
            if (x.dim() == 0) {
                throw new IllegalArgumentException(op + ": cannot take unique slices along a dim of a 0-dim tensor");
            }
            d = Shapes.dim(op, dim, x.dim());
            int slice = 1;
            for (int i = 0; i < x.dim(); i++) {
                slice *= i == d ? 1 : x.size(i);
            }
            rows = x.movedim(d, 0).reshape(x.size(d), slice);
        }
        int n = rows.size(0);
        int width = rows.size(1);
        long[] lv = x.dtype() == DType.INT64 ? rows.toLongArray() : null;
        double[] v = lv == null ? rows.toDoubleArray() : null;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> byValue = (p, q) -> compareRows(v, lv, width, p, q);
        if (sort) {
            Arrays.sort(order, byValue);
        }
        long[] inverse = new long[n];
        long[] countsAll = new long[n];
        int[] firsts = new int[n];
        int groups = 0;
        for (int i = 0; i < n; i++) {
            int row = order[i];
            if (i == 0 || !equalRows(v, lv, width, order[i - 1], row)) {
                firsts[groups++] = row;
            }
            inverse[row] = groups - 1;
            countsAll[groups - 1]++;
        }
        long[] picks = new long[groups];
        for (int g = 0; g < groups; g++) {
            picks[g] = firsts[g];
        }
        Tensor values;
        try (var off = GradMode.off()) {
            Tensor index = Creation.fromLongs(picks, new int[] {groups}, x.device());
            values = dim == null ? x.reshape(-1).indexSelect(0, index) : x.indexSelect(d, index);
        }
        int[] inverseShape = dim == null ? x.shape() : new int[] {n};
        return new UniqueResult(values, Creation.fromLongs(inverse, inverseShape, x.device()),
                Creation.fromLongs(Arrays.copyOf(countsAll, groups), new int[] {groups}, x.device()));
    }

    /** Element by element; NaN after every number (and NaNs in their input order, since none equals another). */
    private static int compareRows(double[] v, long[] lv, int width, int p, int q) {
        for (int j = 0; j < width; j++) {
            int c;
            if (lv != null) {
                c = Long.compare(lv[p * width + j], lv[q * width + j]);
            } else {
                double a = v[p * width + j];
                double b = v[q * width + j];
                c = Double.isNaN(a) || Double.isNaN(b) ? Boolean.compare(Double.isNaN(a), Double.isNaN(b)) : Double.compare(a + 0.0, b + 0.0);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static boolean equalRows(double[] v, long[] lv, int width, int p, int q) {
        for (int j = 0; j < width; j++) {
            boolean same = lv != null ? lv[p * width + j] == lv[q * width + j] : v[p * width + j] == v[q * width + j];
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
