package dev.cortado.tensor;

import java.util.Arrays;

/**
 * {@code torch.linalg}: factorizations (Cholesky, QR, symmetric eigendecomposition, SVD),
 * triangular solves, the pseudo-inverse, rank and matrix norms, batched over leading dims, with
 * PyTorch's gradients. The factorizations run on the host in double (see
 * {@link HostDecompositions}) and are rounded once to float32; their backward passes are matrix
 * products, so they run on the tensors' device. Singular vectors and eigenvectors are unique only
 * up to sign: Cortado makes each one's largest entry positive (U's for an SVD), where LAPACK's
 * signs follow from its rounding.
 */
public final class Linalg {
    /** {@code torch.linalg.eigh}'s result: eigenvalues ascending, eigenvectors as columns. */
    public record Eigh(Tensor eigenvalues, Tensor eigenvectors) {
    }

    /** {@code torch.linalg.svd}'s result: A = U diag(S) Vh, S descending. */
    public record Svd(Tensor U, Tensor S, Tensor Vh) {
    }

    /** {@code torch.linalg.qr}'s result: A = Q R, R upper triangular. */
    public record Qr(Tensor Q, Tensor R) {
    }

    private Linalg() {
    }

    // ---- shared ---------------------------------------------------------------------------

    private static int batchCount(Tensor a) {
        int count = 1;
        for (int i = 0; i < a.dim() - 2; i++) {
            count *= a.size(i);
        }
        return count;
    }

    private static void checkMatrices(String op, Tensor a) {
        if (a.dim() < 2) {
            throw new IllegalArgumentException(op + ": The input tensor A must have at least 2 dimensions, got " + Shapes.str(a.shape()));
        }
        if (a.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 tensor, got " + a.dtype());
        }
    }

    private static String element(int count, int b) {
        return count > 1 || b > 0 ? "(Batch element " + b + "): " : "";
    }

    private static int[] batchShape(Tensor a, int... last) {
        int[] shape = Arrays.copyOf(a.shape(), a.dim() - 2 + last.length);
        System.arraycopy(last, 0, shape, a.dim() - 2, last.length);
        return shape;
    }

    /** diag_embed: (*, n) to (*, n, n) with v on the diagonal. */
    static Tensor diagEmbed(Tensor v) {
        int n = v.size(-1);
        Tensor eye = Creation.fromDoubles(HostDecompositions.identity(n, n), new int[] {n, n}, v.device());
        return v.unsqueeze(-1).mul(eye);
    }

    private static Tensor t(Tensor x) {
        return x.transpose(-2, -1);
    }

    // ---- the solves of {@link Tensor}, here too as torch.linalg names them ---------------

    /** {@code torch.linalg.inv(A)}, as {@link Tensor#inverse()}. */
    public static Tensor inv(Tensor a) {
        return LinearSolves.inv(a);
    }

    /** {@code torch.linalg.det(A)}, as {@link Tensor#det()}. */
    public static Tensor det(Tensor a) {
        return LinearSolves.det(a);
    }

    /** {@code torch.linalg.slogdet(A)}: {sign, log |det|}, as {@link Tensor#slogdet()}. */
    public static Tensor[] slogdet(Tensor a) {
        return LinearSolves.slogdet(a);
    }

    /** {@code torch.linalg.solve(A, B)}, as {@link Tensor#solve}. */
    public static Tensor solve(Tensor a, Tensor b) {
        return LinearSolves.solve(a, b);
    }

    // ---- Cholesky and triangular solves ---------------------------------------------------

    /** {@code torch.linalg.cholesky(A)}: the lower-triangular L with L Lᵀ = A, from A's lower triangle. */
    public static Tensor cholesky(Tensor a) {
        return cholesky(a, false);
    }

    /** {@code torch.linalg.cholesky(A, upper)}: L, or U = Lᵀ with Uᵀ U = A when {@code upper}. */
    public static Tensor cholesky(Tensor a, boolean upper) {
        String op = "linalg.cholesky";
        int n = LinearSolves.squareSize(op, a);
        int count = batchCount(a);
        double[] all = a.detach().contiguous().toDoubleArray();
        double[] out = new double[all.length];
        for (int b = 0; b < count; b++) {
            double[] l = new double[n * n];
            int failed = HostDecompositions.cholesky(Arrays.copyOfRange(all, b * n * n, (b + 1) * n * n), n, l);
            if (failed > 0) {
                throw new ArithmeticException(op + ": " + element(count, b) + "The factorization could not be completed because the input"
                        + " is not positive-definite (the leading minor of order " + failed + " is not positive-definite).");
            }
            System.arraycopy(upper ? HostDecompositions.transpose(l, n, n) : l, 0, out, b * n * n, n * n);
        }
        Tensor result = Creation.fromDoubles(out, a.shape(), a.device());
        // A = L Lᵀ: gA = L⁻ᵀ Φ(Lᵀ gL) L⁻¹, Φ(X) = (tril(X) + tril(X, -1)ᵀ) / 2, PyTorch's symmetric form.
        return Autograd.record(result, "LinalgCholeskyExBackward0", Autograd.saved(result), (g, need) -> {
            Tensor l = upper ? t(result) : result;
            Tensor gl = upper ? t(g) : g;
            Tensor phi = t(l).matmul(gl).tril();
            phi = phi.add(t(phi.tril(-1))).mul(0.5);
            Tensor x = solveTriangular(t(l), phi, true, true, false);
            return new Tensor[] {solveTriangular(l, x, false, false, false)};
        }, a);
    }

    /**
     * {@code torch.linalg.solve_triangular(A, B, upper, left, unitriangular)}: X with A X = B
     * ({@code left}) or X A = B, reading only A's upper or lower triangle (and taking its diagonal
     * as ones when {@code unitriangular}); batch dims broadcast.
     */
    public static Tensor solveTriangular(Tensor a, Tensor b, boolean upper, boolean left, boolean unitriangular) {
        String op = "linalg.solve_triangular";
        int n = LinearSolves.squareSize(op, a);
        Kernels.sameDevice(op, a, b);
        if (b.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException(op + ": expected a float32 B, got " + b.dtype());
        }
        if (b.dim() < 2 || (left ? b.size(-2) : b.size(-1)) != n) {
            throw new IllegalArgumentException(op + ": Incompatible shapes of A and B for the equation " + (left ? "AX = B" : "XA = B")
                    + " (" + n + "x" + n + " and " + (b.dim() < 2 ? Shapes.str(b.shape()) : b.size(-2) + "x" + b.size(-1)) + ")");
        }
        int rows = b.size(-2);
        int cols = b.size(-1);
        int[] batch = Shapes.broadcast(op, Arrays.copyOf(a.shape(), a.dim() - 2), Arrays.copyOf(b.shape(), b.dim() - 2));
        Tensor ae = a.expand(Shapes.matrices(batch, n, n));
        Tensor be = b.expand(Shapes.matrices(batch, rows, cols));
        double[] am = ae.detach().contiguous().toDoubleArray();
        double[] x = be.detach().contiguous().toDoubleArray();
        int count = am.length / Math.max(1, n * n);
        for (int i = 0; i < count; i++) {
            double[] part = Arrays.copyOfRange(x, i * rows * cols, (i + 1) * rows * cols);
            HostDecompositions.solveTriangular(Arrays.copyOfRange(am, i * n * n, (i + 1) * n * n), n, part, left ? cols : rows, upper,
                    left, unitriangular);
            System.arraycopy(part, 0, x, i * rows * cols, rows * cols);
        }
        Tensor result = Creation.fromDoubles(x, Shapes.matrices(batch, rows, cols), a.device());
        int[] sa = a.shape();
        int[] sb = b.shape();
        // A X = B: gB = A⁻ᵀ g, gA = -gB Xᵀ; X A = B: gB = g A⁻ᵀ, gA = -Xᵀ gB; each kept to A's triangle.
        return Autograd.record(result, "LinalgSolveTriangularBackward0", Autograd.saved(ae, result), (g, need) -> {
            Tensor gb = solveTriangular(t(ae), g, !upper, left, unitriangular);
            Tensor ga = null;
            if (need[0]) {
                ga = left ? gb.matmul(t(result)).neg() : t(result).matmul(gb).neg();
                ga = upper ? ga.triu(unitriangular ? 1 : 0) : ga.tril(unitriangular ? -1 : 0);
                ga = Autograd.sumTo(ga, sa);
            }
            return new Tensor[] {ga, need[1] ? Autograd.sumTo(gb, sb) : null};
        }, a, b);
    }

    // ---- symmetric eigendecomposition -----------------------------------------------------

    /** {@code torch.linalg.eigh(A)}: A's lower triangle taken as a symmetric matrix's. */
    public static Eigh eigh(Tensor a) {
        String op = "linalg.eigh";
        int n = LinearSolves.squareSize(op, a);
        int count = batchCount(a);
        double[] all = a.detach().contiguous().toDoubleArray();
        double[] values = new double[count * n];
        double[] vectors = new double[all.length];
        for (int b = 0; b < count; b++) {
            double[] m = Arrays.copyOfRange(all, b * n * n, (b + 1) * n * n);
            if (!allFinite(m)) {
                Arrays.fill(values, b * n, (b + 1) * n, Double.NaN);
                Arrays.fill(vectors, b * n * n, (b + 1) * n * n, Double.NaN);
                continue;
            }
            HostDecompositions.Eigen e = HostDecompositions.eigh(m, n);
            System.arraycopy(e.values(), 0, values, b * n, n);
            System.arraycopy(e.vectors(), 0, vectors, b * n * n, n * n);
        }
        Tensor l = Creation.fromDoubles(values, Arrays.copyOf(a.shape(), a.dim() - 1), a.device());
        Tensor v = Creation.fromDoubles(vectors, a.shape(), a.device());
        // gA = V (diag(gL) + skew(Vᵀ gV) / E) Vᵀ, E_ij = L_j - L_i, skew(X) = (X - Xᵀ) / 2.
        Tensor[] out = PackedOutputs.record("LinalgEighBackward0", new Tensor[] {l, v}, Autograd.saved(l, v), (g, need) -> {
            Tensor inner = g[0] != null ? diagEmbed(g[0]) : null;
            if (g[1] != null) {
                // Only the eigenvectors' gradient divides by the gaps, which repeated eigenvalues close.
                Tensor x = t(v).matmul(g[1]);
                x = x.sub(t(x)).mul(0.5);
                Tensor e = l.unsqueeze(-2).sub(l.unsqueeze(-1));
                e = e.add(diagEmbed(l.onesLike()));
                inner = inner == null ? x.div(e) : x.div(e).add(inner);
            }
            return new Tensor[] {v.matmul(inner).matmul(t(v))};
        }, a);
        return new Eigh(out[0], out[1]);
    }

    /** {@code torch.linalg.eigvalsh(A)}: the eigenvalues of eigh, ascending. */
    public static Tensor eigvalsh(Tensor a) {
        return eigh(a).eigenvalues();
    }

    private static boolean allFinite(double[] m) {
        for (double x : m) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    // ---- SVD ------------------------------------------------------------------------------

    /** {@code torch.linalg.svd(A)}: full matrices, as PyTorch's default. */
    public static Svd svd(Tensor a) {
        return svd(a, true);
    }

    /**
     * {@code torch.linalg.svd(A, full_matrices)}: U (*, m, m) and Vh (*, n, n) with
     * {@code fullMatrices}, else (*, m, k) and (*, k, n), k = min(m, n). As in PyTorch, the
     * gradient ignores the columns beyond k, which are not unique; it is defined where the
     * singular values are distinct (and, when U or Vh is used, nonzero).
     */
    public static Svd svd(Tensor a, boolean fullMatrices) {
        String op = "linalg.svd";
        checkMatrices(op, a);
        int m = a.size(-2);
        int n = a.size(-1);
        int k = Math.min(m, n);
        int ucols = fullMatrices ? m : k;
        int vrows = fullMatrices ? n : k;
        int count = batchCount(a);
        double[] all = a.detach().contiguous().toDoubleArray();
        if (!allFinite(all)) {
            throw new ArithmeticException(op + ": The algorithm failed to converge because the input matrix contained non-finite values.");
        }
        double[] u = new double[count * m * ucols];
        double[] s = new double[count * k];
        double[] vh = new double[count * vrows * n];
        for (int b = 0; b < count; b++) {
            HostDecompositions.Svd r = HostDecompositions.svd(Arrays.copyOfRange(all, b * m * n, (b + 1) * m * n), m, n, fullMatrices);
            System.arraycopy(r.u(), 0, u, b * m * ucols, m * ucols);
            System.arraycopy(r.s(), 0, s, b * k, k);
            double[] vt = HostDecompositions.transpose(r.v(), n, r.vcols());
            System.arraycopy(vt, 0, vh, b * vrows * n, vrows * n);
        }
        Tensor tu = Creation.fromDoubles(u, batchShape(a, m, ucols), a.device());
        Tensor ts = Creation.fromDoubles(s, Arrays.copyOf(batchShape(a, k), a.dim() - 1), a.device());
        Tensor tvh = Creation.fromDoubles(vh, batchShape(a, vrows, n), a.device());
        Tensor[] out = PackedOutputs.record("LinalgSvdBackward0", new Tensor[] {tu, ts, tvh}, Autograd.saved(tu, ts, tvh),
                (g, need) -> new Tensor[] {svdBackward(g[0], g[1], g[2], tu, ts, tvh, m, n, k)}, a);
        return new Svd(out[0], out[1], out[2]);
    }

    /**
     * PyTorch's svd_backward for real matrices, on the first k singular vectors:
     * gA = U [(skew(Uᵀ gU) S + S skew(Vᵀ gV)) / E + diag(gS)] Vh, E_jk = S_k² - S_j², plus
     * (I - U Uᵀ) gU S⁻¹ Vh when m > k and U S⁻¹ gVᵀ (I - V Vh) when n > k.
     */
    private static Tensor svdBackward(Tensor gU, Tensor gS, Tensor gVh, Tensor u, Tensor s, Tensor vh, int m, int n, int k) {
        u = u.narrow(-1, 0, k);
        vh = vh.narrow(-2, 0, k);
        if (gU == null && gVh == null) {
            // The singular values alone: U diag(gS) Vh, with no division by their gaps.
            return u.mul(gS.unsqueeze(-2)).matmul(vh);
        }
        gU = gU != null ? gU : u.zerosLike();
        gVh = gVh != null ? gVh : vh.zerosLike();
        gS = gS != null ? gS : s.zerosLike();
        gU = gU.narrow(-1, 0, k);
        gVh = gVh.narrow(-2, 0, k);
        Tensor v = t(vh);
        Tensor gV = t(gVh);
        Tensor uhgu = t(u).matmul(gU);
        uhgu = uhgu.sub(t(uhgu));
        Tensor vhgv = vh.matmul(gV);
        vhgv = vhgv.sub(t(vhgv));
        Tensor s2 = s.square();
        Tensor e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1));
        e = e.add(diagEmbed(s.onesLike()));
        Tensor inner = uhgu.mul(s.unsqueeze(-2)).add(s.unsqueeze(-1).mul(vhgv)).div(e).add(diagEmbed(gS));
        if (m > k) {
            Tensor gUSinv = gU.div(s.unsqueeze(-2));
            Tensor ga = u.matmul(inner).add(gUSinv).sub(u.matmul(t(u).matmul(gUSinv)));
            return ga.matmul(vh);
        }
        if (n > k) {
            Tensor sinvgVh = t(gV).div(s.unsqueeze(-1));
            Tensor ga = inner.matmul(vh).add(sinvgVh).sub(sinvgVh.matmul(v).matmul(vh));
            return u.matmul(ga);
        }
        return u.matmul(inner).matmul(vh);
    }

    /** {@code torch.linalg.svdvals(A)}: the singular values, descending; gradient U diag(g) Vh. */
    public static Tensor svdvals(Tensor a) {
        return svd(a, false).S();
    }

    // ---- QR -------------------------------------------------------------------------------

    /** {@code torch.linalg.qr(A)}: reduced mode. */
    public static Qr qr(Tensor a) {
        return qr(a, "reduced");
    }

    /**
     * {@code torch.linalg.qr(A, mode)}: "reduced" (Q (*, m, k), R (*, k, n)), "complete" (Q (*, m,
     * m), R (*, m, n)) or "r" (R only, Q empty), with LAPACK's signs. As in PyTorch, "r" has no
     * gradient, nor has "complete" when m > n.
     */
    public static Qr qr(Tensor a, String mode) {
        String op = "linalg.qr";
        if (!mode.equals("reduced") && !mode.equals("complete") && !mode.equals("r")) {
            throw new IllegalArgumentException("qr received unrecognized mode '" + mode
                    + "' but expected one of 'reduced' (default), 'r', or 'complete'");
        }
        checkMatrices(op, a);
        int m = a.size(-2);
        int n = a.size(-1);
        boolean complete = mode.equals("complete");
        int qcols = complete ? m : Math.min(m, n);
        int count = batchCount(a);
        double[] all = a.detach().contiguous().toDoubleArray();
        double[] q = new double[count * m * qcols];
        double[] r = new double[count * qcols * n];
        for (int b = 0; b < count; b++) {
            HostDecompositions.Qr f = HostDecompositions.qr(Arrays.copyOfRange(all, b * m * n, (b + 1) * m * n), m, n, complete);
            System.arraycopy(f.q(), 0, q, b * m * qcols, m * qcols);
            System.arraycopy(f.r(), 0, r, b * qcols * n, qcols * n);
        }
        Tensor tq = Creation.fromDoubles(q, batchShape(a, m, qcols), a.device());
        Tensor tr = Creation.fromDoubles(r, batchShape(a, qcols, n), a.device());
        if (mode.equals("r")) {
            Tensor rOnly = Autograd.record(tr, "LinalgQrBackward0", (g, need) -> {
                throw new IllegalStateException("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use"
                        + " linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
            }, a);
            return new Qr(Creation.fromDoubles(new double[0], new int[] {0}, a.device()), rOnly);
        }
        Tensor[] out = PackedOutputs.record("LinalgQrBackward0", new Tensor[] {tq, tr}, Autograd.saved(tq, tr), (g, need) -> {
            if (complete && m > n) {
                throw new IllegalStateException("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
            }
            return new Tensor[] {qrBackward(g[0] != null ? g[0] : tq.zerosLike(), g[1] != null ? g[1] : tr.zerosLike(), tq, tr, m, n)};
        }, a);
        return new Qr(out[0], out[1]);
    }

    /**
     * A = Q R with m ≥ n: gA = (gQ + Q copyltu(M)) R⁻ᵀ, M = R gRᵀ - gQᵀ Q, copyltu(M) the
     * symmetric matrix of M's lower triangle. With m < n, A = Q [X Y]: the square case for X with
     * gQ + Y gYᵀ, and gY = Q gR_Y.
     */
    private static Tensor qrBackward(Tensor gQ, Tensor gR, Tensor q, Tensor r, int m, int n) {
        if (m >= n) {
            return squareQrBackward(gQ, gR, q, r);
        }
        Tensor x = r.narrow(-1, 0, m);
        Tensor y = r.narrow(-1, m, n - m);
        Tensor gX = gR.narrow(-1, 0, m);
        Tensor gY = gR.narrow(-1, m, n - m);
        Tensor aY = q.matmul(y);
        Tensor gx = squareQrBackward(gQ.add(aY.matmul(t(gY))), gX, q, x);
        return Tensor.cat(java.util.List.of(gx, q.matmul(gY)), -1);
    }

    private static Tensor squareQrBackward(Tensor gQ, Tensor gR, Tensor q, Tensor r) {
        Tensor mm = r.matmul(t(gR)).sub(t(gQ).matmul(q));
        Tensor copyltu = mm.tril().add(t(mm.tril(-1)));
        Tensor b = gQ.add(q.matmul(copyltu));
        // B R⁻ᵀ = solve X Rᵀ = B, Rᵀ lower triangular.
        return solveTriangular(t(r), b, false, false, false);
    }

    // ---- built on the SVD -----------------------------------------------------------------

    /**
     * {@code torch.linalg.pinv(A)}: the Moore–Penrose pseudo-inverse, singular values at most
     * max(m, n) · eps(float32) · σ_max treated as zero; PyTorch's gradient, which needs no
     * distinct singular values.
     */
    public static Tensor pinv(Tensor a) {
        String op = "linalg.pinv";
        checkMatrices(op, a);
        int m = a.size(-2);
        int n = a.size(-1);
        if (m == 0 || n == 0) {
            return t(a).mul(0).clone();
        }
        return pinvOf(a, valuesOnly(a));
    }

    /** The SVD of a's values, with no graph: for pinv, the rank and lstsq, which have backward passes of their own or none. */
    private static Svd valuesOnly(Tensor a) {
        try (var off = dev.cortado.autograd.GradMode.off()) {
            return svd(a.detach(), false);
        }
    }

    /** Which singular values count: above max(m, n) · eps(float32) · σ_max, PyTorch's default tolerance for pinv and matrix_rank. */
    private static Tensor aboveTolerance(Tensor s, int m, int n) {
        return s.gt(s.amax(new int[] {-1}, true).mul(Math.max(m, n) * Math.ulp(1f)));
    }

    /** pinv of a non-empty A from its SVD f, recorded with PyTorch's backward. */
    private static Tensor pinvOf(Tensor a, Svd f) {
        int m = a.size(-2);
        int n = a.size(-1);
        Tensor s = f.S();
        Tensor sInv = Tensor.where(aboveTolerance(s, m, n), s.reciprocal(), s.zerosLike());
        Tensor p = t(f.Vh()).mul(sInv.unsqueeze(-2)).matmul(t(f.U())).detach();
        return Autograd.record(p, "LinalgPinvBackward0", Autograd.saved(a, p), (g, need) -> new Tensor[] {pinvBackward(g, p, a, m, n)}, a);
    }

    /** PyTorch's pinv_backward (Golub and Pereyra's derivative), with the smaller of the two products. */
    private static Tensor pinvBackward(Tensor g, Tensor p, Tensor a, int m, int n) {
        Tensor pt = t(p);
        Tensor gt = t(g);
        if (m <= n) {
            Tensor kk = gt.matmul(p);
            Tensor kpt = kk.matmul(pt);
            return t(p.matmul(kk)).neg().add(kpt).sub(a.matmul(p).matmul(kpt)).add(pt.matmul(p).matmul(gt.sub(kk.matmul(a))));
        }
        Tensor kk = p.matmul(gt);
        Tensor ptk = pt.matmul(kk);
        return t(kk.matmul(p)).neg().add(gt.sub(a.matmul(kk)).matmul(p).matmul(pt)).add(ptk).sub(ptk.matmul(p).matmul(a));
    }

    /**
     * {@code torch.linalg.lstsq(A, B)}'s result with PyTorch's default CPU driver (gelsy): the
     * solution and the rank; residuals and singular values are empty, as that driver leaves them.
     */
    public record Lstsq(Tensor solution, Tensor residuals, Tensor rank, Tensor singularValues) {
    }

    /**
     * {@code torch.linalg.lstsq(A, B)}: the X of least ‖A X - B‖ (of least ‖X‖ among those when A
     * lacks full rank), A (*, m, n), B (*, m, k) or one vector (*, m) per matrix; batch dims broadcast. X is
     * pinv(A) B, so its gradient is PyTorch's.
     */
    public static Lstsq lstsq(Tensor a, Tensor b) {
        String op = "linalg.lstsq";
        checkMatrices(op, a);
        Kernels.sameDevice(op, a, b);
        // PyTorch's rule, as solve's: one vector per matrix when B is 1-d or has A's shape without its last dim.
        boolean vector = b.dim() == 1 || b.dim() == a.dim() - 1 && Arrays.equals(b.shape(), Arrays.copyOf(a.shape(), a.dim() - 1));
        Tensor bm = vector ? b.unsqueeze(-1) : b;
        if (bm.dim() < 2 || bm.size(-2) != a.size(-2)) {
            throw new IllegalArgumentException("torch.linalg.lstsq: input.size(-2) should match other.size(-2), got A "
                    + Shapes.str(a.shape()) + " and B " + Shapes.str(b.shape()));
        }
        Tensor empty = Creation.fromDoubles(new double[0], new int[] {0}, a.device());
        if (a.size(-2) == 0 || a.size(-1) == 0) {
            Tensor x = pinv(a).matmul(bm);
            return new Lstsq(vector ? x.squeeze(-1) : x, empty, matrixRank(a), empty);
        }
        // One SVD for both the solution and the rank.
        Svd f = valuesOnly(a);
        Tensor x = pinvOf(a, f).matmul(bm);
        return new Lstsq(vector ? x.squeeze(-1) : x, empty, rankOf(f.S(), a.size(-2), a.size(-1)), empty);
    }

    /** {@code torch.linalg.matrix_rank(A)}: singular values above max(m, n) · eps(float32) · σ_max, counted (int64). */
    public static Tensor matrixRank(Tensor a) {
        checkMatrices("linalg.matrix_rank", a);
        if (a.size(-2) == 0 || a.size(-1) == 0) {
            return Tensor.zeros(Arrays.copyOf(a.shape(), a.dim() - 2), DType.INT64, a.device());
        }
        return rankOf(valuesOnly(a).S(), a.size(-2), a.size(-1));
    }

    private static Tensor rankOf(Tensor s, int m, int n) {
        return aboveTolerance(s, m, n).sum(new int[] {-1}, false).to(DType.INT64);
    }

    /**
     * {@code torch.linalg.matrix_norm(A, ord)} over the last two dims: "fro", "nuc" (the sum of
     * the singular values), 2 and -2 (the largest and smallest), 1 and -1 (the largest and smallest
     * column sum of |A|), inf and -inf (the same of row sums).
     */
    public static Tensor matrixNorm(Tensor a, String ord) {
        String op = "linalg.matrix_norm";
        checkMatrices(op, a);
        boolean empty = a.size(-2) == 0 || a.size(-1) == 0;
        if (empty && !ord.equals("fro") && !ord.equals("nuc")) {
            throw new IllegalArgumentException(op + ": ord " + ord + " needs matrices with rows and columns, got shape " + Shapes.str(a.shape()));
        }
        return switch (ord) {
            case "fro" -> a.square().sum(new int[] {-2, -1}, false).sqrt();
            case "nuc" -> svdvals(a).sum(new int[] {-1}, false);
            case "2" -> svdvals(a).amax(new int[] {-1}, false);
            case "-2" -> svdvals(a).amin(new int[] {-1}, false);
            case "1" -> a.abs().sum(new int[] {-2}, false).amax(new int[] {-1}, false);
            case "-1" -> a.abs().sum(new int[] {-2}, false).amin(new int[] {-1}, false);
            case "inf" -> a.abs().sum(new int[] {-1}, false).amax(new int[] {-1}, false);
            case "-inf" -> a.abs().sum(new int[] {-1}, false).amin(new int[] {-1}, false);
            default -> throw new IllegalArgumentException(op + ": Order " + ord + " not supported; use fro, nuc, 2, -2, 1, -1, inf or -inf");
        };
    }

    /** {@code torch.linalg.cond(A)}: σ_max / σ_min (inf for a singular matrix, 0 for an empty one, as PyTorch). */
    public static Tensor cond(Tensor a) {
        checkMatrices("linalg.cond", a);
        if (a.size(-2) == 0 || a.size(-1) == 0) {
            return Tensor.zeros(Arrays.copyOf(a.shape(), a.dim() - 2), DType.FLOAT32, a.device());
        }
        Tensor s = svdvals(a);
        return s.amax(new int[] {-1}, false).div(s.amin(new int[] {-1}, false));
    }

    // ---- compositions ---------------------------------------------------------------------

    /** {@code torch.linalg.vector_norm(x, ord, dims, keepdim)}, as {@link Tensor#norm(double, int[], boolean)}. */
    public static Tensor vectorNorm(Tensor x, double ord, int[] dims, boolean keepdim) {
        return x.norm(ord, dims, keepdim);
    }

    /** {@code torch.linalg.vecdot(x, y, dim)}: Σ x·y along dim, batch dims broadcast. */
    public static Tensor vecdot(Tensor x, Tensor y, int dim) {
        return x.mul(y).sum(new int[] {dim}, false);
    }

    /** {@code torch.linalg.matrix_power(A, n)}: A multiplied by itself n times by repeated squaring; A⁻¹'s power for n < 0, I for 0. */
    public static Tensor matrixPower(Tensor a, int n) {
        int size = LinearSolves.squareSize("linalg.matrix_power", a);
        if (n == 0) {
            Tensor eye = Creation.fromDoubles(HostDecompositions.identity(size, size), new int[] {size, size}, a.device());
            return eye.expand(a.shape()).contiguous();
        }
        Tensor base = n < 0 ? a.inverse() : a;
        Tensor result = null;
        for (long k = Math.abs((long) n); k > 0; k >>= 1) {
            if ((k & 1) != 0) {
                result = result == null ? base : result.matmul(base);
            }
            if (k > 1) {
                base = base.matmul(base);
            }
        }
        return result;
    }

    /**
     * {@code torch.linalg.matrix_exp(A)}: e^A by scaling and squaring, A / 2^s with s chosen so
     * that its 1-norm is at most 1/2, a Taylor polynomial of degree 12 (truncation below 1e-13),
     * then s squarings; differentiable as the matrix products it is made of.
     */
    public static Tensor matrixExp(Tensor a) {
        int n = LinearSolves.squareSize("linalg.matrix_exp", a);
        if (a.numel() == 0) {
            return a.mul(0).clone();
        }
        double norm = a.detach().abs().sum(new int[] {-2}, false).amax(new int[] {}, false).item();
        if (!Double.isFinite(norm)) {
            throw new ArithmeticException("linalg.matrix_exp: the input has non-finite values");
        }
        int squarings = norm <= 0.5 ? 0 : (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2));
        Tensor x = a.mul(Math.pow(2, -squarings));
        Tensor eye = Creation.fromDoubles(HostDecompositions.identity(n, n), new int[] {n, n}, a.device());
        Tensor e = eye.expand(a.shape());
        for (int k = 12; k >= 1; k--) {
            e = eye.add(x.matmul(e).mul(1.0 / k));
        }
        for (int i = 0; i < squarings; i++) {
            e = e.matmul(e);
        }
        return e;
    }

    /**
     * {@code torch.linalg.multi_dot(tensors)}: the product of two or more matrices (the first may
     * be a row vector, the last a column vector), in the order of fewest multiplications.
     */
    public static Tensor multiDot(java.util.List<Tensor> tensors) {
        String op = "multi_dot()";
        if (tensors.size() < 2) {
            throw new IllegalArgumentException(op + ": expected at least 2 tensors but got " + tensors.size());
        }
        int count = tensors.size();
        Tensor[] m = new Tensor[count];
        for (int i = 0; i < count; i++) {
            Tensor t = tensors.get(i);
            if (t.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException(op + ": expected float32 tensors, tensor " + i + " is " + t.dtype());
            }
            boolean endVector = (i == 0 || i == count - 1) && t.dim() == 1;
            if (t.dim() != 2 && !endVector) {
                throw new IllegalArgumentException(op + ": tensor " + i + " must be 2D" + (i == 0 || i == count - 1 ? " or 1D" : "")
                        + " but got " + t.dim() + "D");
            }
            m[i] = !endVector ? t : i == 0 ? t.unsqueeze(0) : t.unsqueeze(1);
            if (i > 0 && m[i - 1].size(1) != m[i].size(0)) {
                throw new IllegalArgumentException(op + ": tensors " + (i - 1) + " and " + i + " with shapes " + Shapes.str(tensors.get(i - 1).shape())
                        + " and " + Shapes.str(t.shape()) + " cannot be multiplied");
            }
        }
        // The matrix-chain order: cost[i][j] multiplications for m[i..j], split[i][j] where it divides.
        long[] dims = new long[count + 1];
        for (int i = 0; i < count; i++) {
            dims[i] = m[i].size(0);
        }
        dims[count] = m[count - 1].size(1);
        long[][] cost = new long[count][count];
        int[][] split = new int[count][count];
        for (int len = 1; len < count; len++) {
            for (int i = 0; i + len < count; i++) {
                int j = i + len;
                cost[i][j] = Long.MAX_VALUE;
                for (int k = i; k < j; k++) {
                    long c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1];
                    if (c < cost[i][j]) {
                        cost[i][j] = c;
                        split[i][j] = k;
                    }
                }
            }
        }
        Tensor out = chain(m, split, 0, count - 1);
        if (tensors.getFirst().dim() == 1) {
            out = out.squeeze(0);
        }
        if (tensors.getLast().dim() == 1) {
            out = out.squeeze(-1);
        }
        return out;
    }

    private static Tensor chain(Tensor[] m, int[][] split, int i, int j) {
        return i == j ? m[i] : chain(m, split, i, split[i][j]).matmul(chain(m, split, split[i][j] + 1, j));
    }

    /** {@code torch.linalg.vander(x, N)}: (*, n) to (*, n, N), columns x⁰, x¹, ..., x^(N-1), by running products. */
    public static Tensor vander(Tensor x, int columns) {
        if (x.dim() < 1 || columns < 0) {
            throw new IllegalArgumentException("linalg.vander: x must have at least one dimension and N must be non-negative, got "
                    + Shapes.str(x.shape()) + " and N = " + columns);
        }
        if (columns == 0) {
            return x.unsqueeze(-1).narrow(-1, 0, 0).mul(0);
        }
        int[] shape = Arrays.copyOf(x.shape(), x.dim() + 1);
        shape[x.dim()] = columns - 1;
        Tensor ones = x.unsqueeze(-1).onesLike();
        return Tensor.cat(java.util.List.of(ones, x.unsqueeze(-1).expand(shape).cumprod(-1)), -1);
    }

    /** {@code torch.linalg.vander(x)}: N = x.size(-1). */
    public static Tensor vander(Tensor x) {
        return vander(x, x.dim() < 1 ? 0 : x.size(-1));
    }
}
