package dev.cortado.tensor;

import java.util.Arrays;

/**
 * {@code torch.linalg.inv}, {@code det}, {@code slogdet} and {@code solve} of (batches of) square
 * matrices: LU decomposition with partial pivoting on the host, in double precision, rounded to
 * float32 once (a GPU tensor is read back and the result sent to it). The gradients are PyTorch's
 * formulas, formed from these ops and matrix products.
 */
final class LinearSolves {
    private LinearSolves() {
    }

    /** One matrix's LU factors in place (row-major n × n), its pivots, and the sign of their permutation; null if singular. */
    private record Lu(double[] a, int[] pivot, int sign, int zeroAt) {
        boolean singular() {
            return zeroAt >= 0;
        }

        double det() {
            if (singular()) {
                return 0;
            }
            int n = pivot.length;
            double d = sign;
            for (int i = 0; i < n; i++) {
                d *= a[i * n + i];
            }
            return d;
        }

        /** Solves A x = b for the k columns of b (n × k, row-major), in place. */
        void solve(double[] b, int k) {
            int n = pivot.length;
            for (int i = 0; i < n; i++) {
                int p = pivot[i];
                if (p != i) {
                    for (int j = 0; j < k; j++) {
                        double t = b[i * k + j];
                        b[i * k + j] = b[p * k + j];
                        b[p * k + j] = t;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < i; r++) {
                    double l = a[i * n + r];
                    for (int j = 0; j < k; j++) {
                        b[i * k + j] -= l * b[r * k + j];
                    }
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                for (int r = i + 1; r < n; r++) {
                    double u = a[i * n + r];
                    for (int j = 0; j < k; j++) {
                        b[i * k + j] -= u * b[r * k + j];
                    }
                }
                double d = a[i * n + i];
                for (int j = 0; j < k; j++) {
                    b[i * k + j] /= d;
                }
            }
        }
    }

    private static Lu lu(double[] a, int n) {
        int[] pivot = new int[n];
        int sign = 1;
        int zeroAt = -1;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) {
                    p = r;
                }
            }
            pivot[c] = p;
            if (p != c) {
                sign = -sign;
                for (int j = 0; j < n; j++) {
                    double t = a[c * n + j];
                    a[c * n + j] = a[p * n + j];
                    a[p * n + j] = t;
                }
            }
            double d = a[c * n + c];
            if (d == 0) {
                if (zeroAt < 0) {
                    zeroAt = c;
                }
                continue;
            }
            for (int r = c + 1; r < n; r++) {
                double f = a[r * n + c] / d;
                a[r * n + c] = f;
                for (int j = c + 1; j < n; j++) {
                    a[r * n + j] -= f * a[c * n + j];
                }
            }
        }
        return new Lu(a, pivot, sign, zeroAt);
    }

    static int squareSize(String op, Tensor a) {
        if (a.dim() < 2) {
            throw new IllegalArgumentException(op + ": The input tensor A must have at least 2 dimensions, got " + Shapes.str(a.shape()));
        }
        int n = a.size(-1);
        if (a.size(-2) != n) {
            throw new IllegalArgumentException(op + ": A must be batches of square matrices, but they are " + a.size(-2) + " by " + n
                    + " matrices");
        }
        if (a.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 tensor, got " + a.dtype());
        }
        return n;
    }

    private static Lu[] factor(Tensor a, int n) {
        double[] all = a.detach().contiguous().toDoubleArray();
        int count = 1;
        for (int i = 0; i < a.dim() - 2; i++) {
            count *= a.size(i);
        }
        Lu[] out = new Lu[count];
        for (int b = 0; b < count; b++) {
            out[b] = lu(Arrays.copyOfRange(all, b * n * n, (b + 1) * n * n), n);
        }
        return out;
    }

    private static String which(Lu[] f, int b) {
        return f.length > 1 || b > 0 ? "(Batch element " + b + "): " : "";
    }

    static Tensor inv(Tensor a) {
        String op = "linalg.inv";
        int n = squareSize(op, a);
        Lu[] f = factor(a, n);
        double[] out = new double[f.length * n * n];
        for (int b = 0; b < f.length; b++) {
            if (f[b].singular()) {
                throw new ArithmeticException(op + ": " + which(f, b) + "The diagonal element " + (f[b].zeroAt() + 1)
                        + " is zero, the inversion could not be completed because the input matrix is singular.");
            }
            double[] eye = new double[n * n];
            for (int i = 0; i < n; i++) {
                eye[i * n + i] = 1;
            }
            f[b].solve(eye, n);
            System.arraycopy(eye, 0, out, b * n * n, n * n);
        }
        Tensor result = Creation.fromDoubles(out, a.shape(), a.device());
        // d(A⁻¹) = -A⁻¹ dA A⁻¹, so the gradient is -A⁻ᵀ g A⁻ᵀ.
        return Autograd.record(result, "LinalgInvExBackward0", Autograd.saved(result), (g, need) -> {
            Tensor t = result.transpose(-2, -1);
            return new Tensor[] {t.matmul(g).matmul(t).neg()};
        }, a);
    }

    static Tensor det(Tensor a) {
        String op = "linalg.det";
        int n = squareSize(op, a);
        Lu[] f = factor(a, n);
        double[] d = new double[f.length];
        boolean anySingular = false;
        for (int b = 0; b < f.length; b++) {
            d[b] = f[b].det();
            anySingular |= f[b].singular();
        }
        int[] batch = Arrays.copyOf(a.shape(), a.dim() - 2);
        Tensor result = Creation.fromDoubles(d, batch, a.device());
        boolean singular = anySingular;
        // d det = det · tr(A⁻¹ dA): the gradient g · det · A⁻ᵀ, which is the cofactor matrix. Where a
        // matrix is singular it is worked out from the minors instead (no inverse exists).
        return Autograd.record(result, "LinalgDetBackward0", Autograd.saved(a, result), (g, need) -> {
            Tensor scale = g.mul(result).unsqueeze(-1).unsqueeze(-1);
            if (!singular) {
                return new Tensor[] {scale.mul(inv(a).transpose(-2, -1))};
            }
            return new Tensor[] {g.unsqueeze(-1).unsqueeze(-1).mul(cofactors(a, n))};
        }, a);
    }

    /** The cofactor matrices (det of each minor, signed), from the minors' own LU factors: for singular matrices. */
    private static Tensor cofactors(Tensor a, int n) {
        double[] all = a.detach().contiguous().toDoubleArray();
        int count = all.length / Math.max(n * n, 1);
        double[] out = new double[all.length];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double[] minor = new double[(n - 1) * (n - 1)];
                    int at = 0;
                    for (int r = 0; r < n; r++) {
                        for (int c = 0; c < n; c++) {
                            if (r != i && c != j) {
                                minor[at++] = all[b * n * n + r * n + c];
                            }
                        }
                    }
                    double m = lu(minor, n - 1).det();
                    out[b * n * n + i * n + j] = (i + j) % 2 == 0 ? m : -m;
                }
            }
        }
        return Creation.fromDoubles(out, a.shape(), a.device());
    }

    /** {sign, log |det|}: the log without det's overflow; sign 0 and log -inf for a singular matrix. */
    static Tensor[] slogdet(Tensor a) {
        String op = "linalg.slogdet";
        int n = squareSize(op, a);
        Lu[] f = factor(a, n);
        double[] sign = new double[f.length];
        double[] log = new double[f.length];
        for (int b = 0; b < f.length; b++) {
            if (f[b].singular()) {
                log[b] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double s = f[b].sign();
            double l = 0;
            for (int i = 0; i < n; i++) {
                double d = f[b].a()[i * n + i];
                s *= Math.signum(d);
                l += Math.log(Math.abs(d));
            }
            sign[b] = s;
            log[b] = l;
        }
        int[] batch = Arrays.copyOf(a.shape(), a.dim() - 2);
        Tensor logAbs = Creation.fromDoubles(log, batch, a.device());
        logAbs = Autograd.record(logAbs, "LinalgSlogdetBackward0", Autograd.saved(a),
                (g, need) -> new Tensor[] {g.unsqueeze(-1).unsqueeze(-1).mul(inv(a).transpose(-2, -1))}, a);
        return new Tensor[] {Creation.fromDoubles(sign, batch, a.device()), logAbs};
    }

    /** X with A X = B; B (*, n, k), or (*, n) for one vector per matrix; batch dims broadcast. */
    static Tensor solve(Tensor a, Tensor b) {
        String op = "linalg.solve";
        int n = squareSize(op, a);
        Kernels.sameDevice(op, a, b);
        // PyTorch's rule: B is one vector per matrix when it is 1-d or has exactly A's shape without its last dim.
        boolean vector = b.dim() == 1 || b.dim() == a.dim() - 1 && Arrays.equals(b.shape(), Arrays.copyOf(a.shape(), a.dim() - 1));
        Tensor bm = vector ? b.unsqueeze(-1) : b;
        if (bm.dim() < 2 || bm.size(-2) != n) {
            throw new IllegalArgumentException(op + ": Incompatible shapes of A and B for the equation AX = B (" + n + "x" + n + " and "
                    + (b.dim() == 1 ? b.size(0) + "x1" : Shapes.str(b.shape())) + ")");
        }
        int k = bm.size(-1);
        int[] batch = Shapes.broadcast(op, Arrays.copyOf(a.shape(), a.dim() - 2), Arrays.copyOf(bm.shape(), bm.dim() - 2));
        int[] aShape = Shapes.matrices(batch, n, n);
        int[] xShape = Shapes.matrices(batch, n, k);
        Tensor ae = a.expand(aShape);
        Tensor be = bm.expand(xShape);
        Lu[] f = factor(ae, n);
        double[] rhs = be.detach().contiguous().toDoubleArray();
        for (int i = 0; i < f.length; i++) {
            if (f[i].singular()) {
                throw new ArithmeticException(op + ": " + which(f, i) + "The solver failed because the input matrix is singular.");
            }
            double[] part = Arrays.copyOfRange(rhs, i * n * k, (i + 1) * n * k);
            f[i].solve(part, k);
            System.arraycopy(part, 0, rhs, i * n * k, n * k);
        }
        Tensor x = Creation.fromDoubles(rhs, xShape, a.device());
        int[] sa = a.shape();
        int[] sb = bm.shape();
        // A X = B: dB = A⁻ᵀ g, dA = -dB Xᵀ.
        Tensor solved = Autograd.record(x, "LinalgSolveExBackward0", Autograd.saved(ae, x), (g, need) -> {
            Tensor gb = solve(ae.transpose(-2, -1), g);
            return new Tensor[] {need[0] ? Autograd.sumTo(gb.matmul(x.transpose(-2, -1)).neg(), sa) : null,
                    need[1] ? Autograd.sumTo(gb, sb) : null};
        }, a, bm);
        return vector ? solved.squeeze(-1) : solved;
    }
}
