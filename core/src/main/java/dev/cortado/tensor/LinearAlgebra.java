package dev.cortado.tensor;

import java.util.Arrays;

/** matmul with PyTorch's rules: 1-D operands are promoted, batch dims broadcast. */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        if (!a.dtype().isFloatingPoint() || !b.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("matmul: expected float32 tensors, got " + a.dtype() + " and " + b.dtype());
        }
        Kernels.sameDevice("matmul", a, b);
        if (a.dim() == 1 && b.dim() == 1) {
            checkInner(a, b, a.shape[0], b.shape[0]);
            return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        }
        if (a.dim() == 1) {
            checkInner(a, b, a.shape[0], b.shape[b.dim() - 2]);
            return matmul(a.unsqueeze(0), b).squeeze(-2);
        }
        if (b.dim() == 1) {
            checkInner(a, b, a.shape[a.dim() - 1], b.shape[0]);
            return matmul(a, b.unsqueeze(1)).squeeze(-1);
        }
        if (a.dim() >= 3 && b.dim() == 2) {
            // A stack of rows against one matrix (a sequence or batch of activations times a weight)
            // is one matrix product, as PyTorch folds it: B is packed once rather than per batch
            // entry, and its gradient is one product over every row instead of a sum of per-entry ones.
            int k = a.shape[a.dim() - 1];
            checkInner(a, b, k, b.shape[0]);
            int rows = 1;
            for (int i = 0; i < a.dim() - 1; i++) {
                rows *= a.shape[i];
            }
            int[] outShape = a.shape.clone();
            outShape[a.dim() - 1] = b.shape[1];
            return matmul(a.reshape(rows, k), b).reshape(outShape);
        }
        int m = a.shape[a.dim() - 2];
        int k = a.shape[a.dim() - 1];
        int n = b.shape[b.dim() - 1];
        checkInner(a, b, k, b.shape[b.dim() - 2]);
        int[] batch = Shapes.broadcast("matmul", Arrays.copyOf(a.shape, a.dim() - 2), Arrays.copyOf(b.shape, b.dim() - 2));
        int[] outShape = Shapes.matrices(batch, m, n);
        int[] aShape = Shapes.matrices(batch, m, k);
        int[] bShape = Shapes.matrices(batch, k, n);
        Tensor out = Kernels.empty(outShape, DType.FLOAT32, a.device());
        Kernels.backend(a).matmul(out, Kernels.broadcastTo(a, aShape), Kernels.broadcastTo(b, bShape));
        int[] sa = a.shape;
        int[] sb = b.shape;
        // Each operand is read for the other's gradient only.
        Tensor[] saved = Autograd.saved(a.requiresGrad ? b : null, b.requiresGrad ? a : null);
        if (batch.length == 0) {
            return Autograd.record(out, "MmBackward0", saved, (g, need) -> new Tensor[] {
                    need[0] ? (columnMajor(a) ? b.matmul(g.t()).t() : g.matmul(b.t())) : null,
                    need[1] ? (columnMajor(b) ? g.t().matmul(a).t() : a.t().matmul(g)) : null}, a, b);
        }
        return Autograd.record(out, "BmmBackward0", saved, (g, need) -> new Tensor[] {
                need[0] ? Autograd.sumTo(g.matmul(b.transpose(-1, -2)), sa) : null,
                need[1] ? Autograd.sumTo(a.transpose(-1, -2).matmul(g), sb) : null}, a, b);
    }

    /**
     * Whether a matrix is stored column by column, as {@code w.t()} of a row-major weight is. Its
     * gradient is then computed transposed (as PyTorch's mm backward does), so that it arrives in
     * the weight's own row-major order instead of as a transposed view that every later use (the
     * gradient accumulation, the optimizer) would read across rows.
     */
    private static boolean columnMajor(Tensor m) {
        return m.stride(0) == 1 && m.stride(1) == m.size(0) && m.size(1) > 1;
    }

    private static void checkInner(Tensor a, Tensor b, int ka, int kb) {
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + ": inner dimensions " + ka + " and " + kb + " differ");
        }
    }

    /** {@code torch.outer}: the (n, m) matrix of products a_i b_j of two 1-D tensors. */
    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: expected two 1-D tensors, got shapes " + Shapes.str(a.shape) + " and "
                    + Shapes.str(b.shape));
        }
        return a.reshape(-1, 1).mul(b.reshape(1, -1));
    }

    /** {@code torch.bmm}: (b, n, m) @ (b, m, p), both 3-d with one batch size (no broadcasting, as PyTorch's bmm). */
    static Tensor bmm(Tensor a, Tensor b) {
        if (a.dim() != 3 || b.dim() != 3 || a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("bmm: expected two 3-d tensors with the same batch size, got " + Shapes.str(a.shape) + " and "
                    + Shapes.str(b.shape));
        }
        return matmul(a, b);
    }

    /** {@code torch.mm}: (n, m) @ (m, p), both 2-d. */
    static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expected two 2-d tensors, got " + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        return matmul(a, b);
    }

    /**
     * {@code torch.addmm(input, mat1, mat2, beta, alpha)}: beta · input + alpha · (mat1 @ mat2),
     * input broadcast to the product's shape; with beta 0 input is left out, so its NaN and inf
     * do not reach the result, as in PyTorch.
     */
    static Tensor addmm(Tensor input, Tensor m1, Tensor m2, double beta, double alpha) {
        if (m1.dim() != 2 || m2.dim() != 2) {
            throw new IllegalArgumentException("addmm: expected two 2-d matrices, got " + Shapes.str(m1.shape) + " and " + Shapes.str(m2.shape));
        }
        return scaledSum("addmm", input, matmul(m1, m2), beta, alpha);
    }

    /** {@code torch.baddbmm(input, batch1, batch2, beta, alpha)}: beta · input + alpha · (batch1 @ batch2), as addmm per batch. */
    static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, double beta, double alpha) {
        return scaledSum("baddbmm", input, bmm(b1, b2), beta, alpha);
    }

    private static Tensor scaledSum(String op, Tensor input, Tensor product, double beta, double alpha) {
        int[] shape = Shapes.broadcast(op, input.shape, product.shape);
        if (!java.util.Arrays.equals(shape, product.shape)) {
            throw new IllegalArgumentException(op + ": input " + Shapes.str(input.shape) + " does not broadcast to the product's shape "
                    + Shapes.str(product.shape));
        }
        Tensor scaled = alpha == 1 ? product : product.mul(alpha);
        if (beta == 0) {
            return scaled;
        }
        return (beta == 1 ? input : input.mul(beta)).add(scaled);
    }

    /**
     * {@code torch.kron(a, b)}: the Kronecker product; the shorter shape is padded with leading
     * ones, and dim i of the result has a_i · b_i elements, block (j) of it b times a[j].
     */
    static Tensor kron(Tensor a, Tensor b) {
        int n = Math.max(a.dim(), b.dim());
        int[] spreadA = new int[2 * n];
        int[] spreadB = new int[2 * n];
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            int ai = i < n - a.dim() ? 1 : a.shape[i - (n - a.dim())];
            int bi = i < n - b.dim() ? 1 : b.shape[i - (n - b.dim())];
            spreadA[2 * i] = ai;
            spreadA[2 * i + 1] = 1;
            spreadB[2 * i] = 1;
            spreadB[2 * i + 1] = bi;
            shape[i] = ai * bi;
        }
        return a.reshape(spreadA).mul(b.reshape(spreadB)).reshape(shape);
    }

    /** {@code torch.mv}: (n, m) @ (m). */
    static Tensor mv(Tensor a, Tensor v) {
        if (a.dim() != 2 || v.dim() != 1) {
            throw new IllegalArgumentException("mv: expected a 2-d matrix and a 1-d vector, got " + Shapes.str(a.shape) + " and "
                    + Shapes.str(v.shape));
        }
        return matmul(a, v);
    }

    /** {@code torch.dot}: the inner product of two 1-d tensors of one length. */
    static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1 || a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("dot: expected two 1-d tensors of the same length, got " + Shapes.str(a.shape) + " and "
                    + Shapes.str(b.shape));
        }
        return matmul(a, b);
    }
}
