package dev.cortado.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.tril_indices}, {@code triu_indices}, {@code block_diag}, {@code cartesian_prod}
 * and {@code combinations}: index sets worked out on the host, the values gathered or placed by
 * differentiable ops, so gradients reach the inputs.
 */
final class Combinatorics {
    private Combinatorics() {
    }

    /** The (row, col) pairs of a rows × cols matrix with col − row ≤ offset (lower) or ≥ offset (upper), row by row: a 2 × N int64 tensor. */
    static Tensor triangleIndices(String op, int rows, int cols, int offset, boolean lower, Device device) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(op + ": row and col must be non-negative, got " + rows + " and " + cols);
        }
        List<long[]> pairs = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (lower ? c - r <= offset : c - r >= offset) {
                    pairs.add(new long[] {r, c});
                }
            }
        }
        long[] out = new long[2 * pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[i] = pairs.get(i)[0];
            out[pairs.size() + i] = pairs.get(i)[1];
        }
        return Creation.fromLongs(out, new int[] {2, pairs.size()}, device);
    }

    /** {@code torch.block_diag}: the tensors (0-d as 1 × 1, 1-d as one row, 2-d as they are) along the diagonal of a zero matrix. */
    static Tensor blockDiag(List<Tensor> tensors) {
        String op = "block_diag";
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(op + ": expected at least one tensor");
        }
        List<Tensor> blocks = new ArrayList<>();
        boolean floating = false;
        int rows = 0;
        int cols = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dim() > 2) {
                throw new IllegalArgumentException(op + ": input " + i + " has " + t.dim() + " dims, expected 0, 1 or 2: " + Shapes.str(t.shape()));
            }
            Tensor b = t.dim() == 2 ? t : t.reshape(1, t.numel());
            blocks.add(b);
            floating |= t.dtype() == DType.FLOAT32;
            rows += b.size(0);
            cols += b.size(1);
        }
        List<Tensor> bands = new ArrayList<>();
        int left = 0;
        for (Tensor b : blocks) {
            Tensor typed = floating ? b.to(DType.FLOAT32) : b;
            bands.add(typed.pad(new int[] {left, cols - left - b.size(1)}, PadMode.CONSTANT, 0));
            left += b.size(1);
        }
        return Tensor.cat(bands, 0);
    }

    /** {@code torch.cartesian_prod}: every tuple of one element from each 1-d tensor, the last varying fastest; one tensor is returned as it is. */
    static Tensor cartesianProd(List<Tensor> tensors) {
        String op = "cartesian_prod";
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(op + ": expected at least one tensor");
        }
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).dim() != 1) {
                throw new IllegalArgumentException(op + ": expected 1-d tensors, got " + Shapes.str(tensors.get(i).shape()) + " at " + i);
            }
        }
        if (tensors.size() == 1) {
            return tensors.get(0);
        }
        List<Tensor> columns = new ArrayList<>();
        for (Tensor g : Tensor.meshgrid(tensors, "ij")) {
            columns.add(g.reshape(-1));
        }
        return Tensor.stack(columns, 1);
    }

    /** {@code torch.combinations}: the r-element combinations of a 1-d tensor's elements, in order of position (with repeats when asked). */
    static Tensor combinations(Tensor x, int r, boolean withReplacement) {
        String op = "combinations";
        if (x.dim() != 1) {
            throw new IllegalArgumentException(op + ": expected a 1-d tensor, got " + Shapes.str(x.shape()));
        }
        if (r < 0) {
            throw new IllegalArgumentException(op + ": r must be non-negative, got " + r);
        }
        if (r == 0) {
            return Creation.full(new int[] {0}, 0, x.dtype(), x.device());
        }
        List<int[]> picks = new ArrayList<>();
        choose(new int[r], 0, 0, x.size(0), withReplacement, picks);
        long[] flat = new long[picks.size() * r];
        for (int i = 0; i < picks.size(); i++) {
            for (int j = 0; j < r; j++) {
                flat[i * r + j] = picks.get(i)[j];
            }
        }
        return x.indexSelect(0, Creation.fromLongs(flat, new int[] {flat.length}, x.device())).reshape(picks.size(), r);
    }

    private static void choose(int[] at, int k, int from, int n, boolean withReplacement, List<int[]> out) {
        if (k == at.length) {
            out.add(at.clone());
            return;
        }
        for (int i = from; i < n; i++) {
            at[k] = i;
            choose(at, k + 1, withReplacement ? i : i + 1, n, withReplacement, out);
        }
    }
}
