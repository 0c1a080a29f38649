package dev.cortado.tensor;

/**
 * Matrix factorizations of one row-major matrix in double on the host: Cholesky, triangular
 * solves, the symmetric eigendecomposition (Householder tridiagonalization and QL with implicit
 * shifts, LAPACK's steqr route), the SVD by one-sided Jacobi rotations (accurate to a few ulp of
 * the largest singular value, and simple), and Householder QR in LAPACK's sign convention, so
 * that R's diagonal has the signs PyTorch's {@code geqrf} gives.
 */
final class HostDecompositions {
    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_SWEEPS = 100;

    private HostDecompositions() {
    }

    /** L (lower, n × n) with L Lᵀ = A from A's lower triangle; returns 0, or the order of the first minor that is not positive-definite. */
    static int cholesky(double[] a, int n, double[] l) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= l[j * n + k] * l[j * n + k];
            }
            if (!(d > 0)) {
                return j + 1;
            }
            double root = Math.sqrt(d);
            l[j * n + j] = root;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = s / root;
            }
        }
        return 0;
    }

    /**
     * Solves A X = B (left, B n × k) or X A = B (right, B k × n) in place in {@code b}, reading only
     * A's upper or lower triangle, with ones on its diagonal when {@code unit}.
     */
    static void solveTriangular(double[] a, int n, double[] b, int k, boolean upper, boolean left, boolean unit) {
        if (!left) {
            // X A = B is Aᵀ Xᵀ = Bᵀ, whose triangle is the other one.
            double[] at = transpose(a, n, n);
            double[] bt = transpose(b, k, n);
            solveTriangular(at, n, bt, k, !upper, true, unit);
            System.arraycopy(transpose(bt, n, k), 0, b, 0, b.length);
            return;
        }
        for (int c = 0; c < k; c++) {
            if (upper) {
                for (int i = n - 1; i >= 0; i--) {
                    double s = b[i * k + c];
                    for (int j = i + 1; j < n; j++) {
                        s -= a[i * n + j] * b[j * k + c];
                    }
                    b[i * k + c] = unit ? s : s / a[i * n + i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    double s = b[i * k + c];
                    for (int j = 0; j < i; j++) {
                        s -= a[i * n + j] * b[j * k + c];
                    }
                    b[i * k + c] = unit ? s : s / a[i * n + i];
                }
            }
        }
    }

    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** Eigenvalues ascending, and eigenvectors as the columns of an n × n matrix. */
    record Eigen(double[] values, double[] vectors) {
    }

    /**
     * The symmetric matrix whose lower triangle is A's: Householder reflections make it
     * tridiagonal (T = Qᵀ A Q), then the QL algorithm with implicit Wilkinson shifts diagonalizes
     * T, its rotations accumulated into Q, as LAPACK's steqr does. Q is kept transposed (its rows
     * the eigenvectors), so that every rotation and reflection walks contiguous memory.
     */
    static Eigen eigh(double[] a, int n) {
        double[] s = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                s[i * n + j] = a[i * n + j];
                s[j * n + i] = a[i * n + j];
            }
        }
        double[] d = new double[n];
        double[] e = new double[n];
        double[] vt = tridiagonalize(s, n, d, e);
        tridiagonalQl(d, e, vt, n);
        double[] v = transpose(vt, n, n);
        double[] values = d;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        double[] sortedValues = new double[n];
        double[] sortedVectors = new double[n * n];
        for (int c = 0; c < n; c++) {
            sortedValues[c] = values[order[c]];
            for (int r = 0; r < n; r++) {
                sortedVectors[r * n + c] = v[r * n + order[c]];
            }
        }
        normalizeSigns(sortedVectors, n, n, null);
        return new Eigen(sortedValues, sortedVectors);
    }

    /**
     * Householder tridiagonalization of the symmetric s (overwritten): T's diagonal into d and its
     * off-diagonal into e (e[i] between rows i and i + 1); returns Qᵀ with T = Qᵀ A Q.
     */
    private static double[] tridiagonalize(double[] s, int n, double[] d, double[] e) {
        double[][] reflectors = new double[Math.max(n - 2, 0)][];
        double[] taus = new double[Math.max(n - 2, 0)];
        for (int k = 0; k < n - 2; k++) {
            int m = n - k - 1;
            double alpha = s[(k + 1) * n + k];
            double xnorm = 0;
            for (int i = k + 2; i < n; i++) {
                xnorm = Math.hypot(xnorm, s[i * n + k]);
            }
            double[] v = new double[m];
            v[0] = 1;
            reflectors[k] = v;
            if (xnorm == 0) {
                continue;
            }
            double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
            double tau = (beta - alpha) / beta;
            taus[k] = tau;
            for (int i = k + 2; i < n; i++) {
                v[i - k - 1] = s[i * n + k] / (alpha - beta);
            }
            // The trailing block B ← H B H = B - v wᵀ - w vᵀ, with p = τ B v and w = p - (τ vᵀp / 2) v.
            double[] p = new double[m];
            for (int r = 0; r < m; r++) {
                int row = (k + 1 + r) * n + k + 1;
                double sum = 0;
                for (int c = 0; c < m; c++) {
                    sum += s[row + c] * v[c];
                }
                p[r] = tau * sum;
            }
            double vp = 0;
            for (int r = 0; r < m; r++) {
                vp += v[r] * p[r];
            }
            double half = tau * vp / 2;
            for (int r = 0; r < m; r++) {
                p[r] -= half * v[r];
            }
            for (int r = 0; r < m; r++) {
                int row = (k + 1 + r) * n + k + 1;
                double vr = v[r];
                double wr = p[r];
                for (int c = 0; c < m; c++) {
                    s[row + c] -= vr * p[c] + wr * v[c];
                }
            }
            s[(k + 1) * n + k] = beta;
            s[k * n + k + 1] = beta;
            for (int i = k + 2; i < n; i++) {
                s[i * n + k] = 0;
                s[k * n + i] = 0;
            }
        }
        for (int i = 0; i < n; i++) {
            d[i] = s[i * n + i];
            e[i] = i + 1 < n ? s[(i + 1) * n + i] : 0;
        }
        // Q = H₀ H₁ ⋯, built from the last reflection back; Qᵀ's rows are Q's columns.
        double[] q = identity(n, n);
        for (int k = n - 3; k >= 0; k--) {
            reflect(q, n, n, k + 1, k + 1, reflectors[k], taus[k]);
        }
        return transpose(q, n, n);
    }

    /**
     * The QL algorithm with implicit shifts on the symmetric tridiagonal (d, e), rotations applied
     * to the rows of zt; d ends as the eigenvalues (unsorted), zt's rows as their eigenvectors.
     */
    private static void tridiagonalQl(double[] d, double[] e, double[] zt, int n) {
        for (int l = 0; l < n; l++) {
            for (int iteration = 0; ; iteration++) {
                int m = l;
                while (m < n - 1) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= EPS * dd) {
                        break;
                    }
                    m++;
                }
                if (m == l || iteration > 60) {
                    break;
                }
                // The Wilkinson shift from the leading 2 × 2 block.
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double sn = 1;
                double c = 1;
                double p = 0;
                int i = m - 1;
                boolean underflow = false;
                for (; i >= l; i--) {
                    double f = sn * e[i];
                    double b = c * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    sn = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * sn + 2 * c * b;
                    p = sn * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    rotateRows(zt, n, i + 1, i, c, -sn);
                }
                if (underflow) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    /** Rows p and q of a (·, cols) matrix turned by the rotation with cos c and sin s: the columns of its transpose, contiguous. */
    private static void rotateRows(double[] m, int cols, int p, int q, double c, double s) {
        for (int k = 0; k < cols; k++) {
            double mp = m[p * cols + k];
            double mq = m[q * cols + k];
            m[p * cols + k] = c * mp - s * mq;
            m[q * cols + k] = s * mp + c * mq;
        }
    }

    /**
     * Flips columns so that each one's largest entry (by magnitude, the first of equals) is
     * positive, flipping the same columns of {@code partner} (rows of Vᵀ are columns of V), so that
     * a factorization's signs do not depend on rounding.
     */
    private static void normalizeSigns(double[] m, int rows, int cols, double[] partnerColumns) {
        for (int c = 0; c < cols; c++) {
            int best = 0;
            for (int r = 1; r < rows; r++) {
                if (Math.abs(m[r * cols + c]) > Math.abs(m[best * cols + c]) * (1 + 1e-12)) {
                    best = r;
                }
            }
            if (m[best * cols + c] < 0) {
                for (int r = 0; r < rows; r++) {
                    m[r * cols + c] = -m[r * cols + c];
                }
                if (partnerColumns != null) {
                    int partnerRows = partnerColumns.length / cols;
                    for (int r = 0; r < partnerRows; r++) {
                        partnerColumns[r * cols + c] = -partnerColumns[r * cols + c];
                    }
                }
            }
        }
    }

    static double[] identity(int rows, int cols) {
        double[] e = new double[rows * cols];
        for (int i = 0; i < Math.min(rows, cols); i++) {
            e[i * cols + i] = 1;
        }
        return e;
    }

    /** U (m × ucols), singular values (k, descending) and V (n × vcols), columns the singular vectors. */
    record Svd(double[] u, int ucols, double[] s, double[] v, int vcols) {
    }

    /**
     * A = U diag(S) Vᵀ by one-sided Jacobi rotations of A's columns (of Aᵀ's when m < n). With
     * {@code full}, U is m × m and V n × n, completed with orthonormal columns; otherwise both have
     * k = min(m, n) columns.
     */
    static Svd svd(double[] a, int m, int n, boolean full) {
        if (m < n) {
            Svd t = svd(transpose(a, m, n), n, m, full);
            return new Svd(t.v(), t.vcols(), t.s(), t.u(), t.ucols());
        }
        // m ≥ n: W = A V converges to columns U_j S_j. Wᵀ and Vᵀ are kept, so that the columns rotate in contiguous rows.
        double[] wt = transpose(a, m, n);
        double[] vt = identity(n, n);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = 0;
                    double beta = 0;
                    double gamma = 0;
                    for (int i = 0; i < m; i++) {
                        double wp = wt[p * m + i];
                        double wq = wt[q * m + i];
                        alpha += wp * wp;
                        beta += wq * wq;
                        gamma += wp * wq;
                    }
                    if (gamma == 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotateRows(wt, m, p, q, c, s);
                    rotateRows(vt, n, p, q, c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] w = transpose(wt, n, m);
        double[] v = transpose(vt, n, n);
        double[] norms = new double[n];
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int i = 0; i < m; i++) {
                sum += w[i * n + j] * w[i * n + j];
            }
            norms[j] = Math.sqrt(sum);
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        int ucols = full ? m : n;
        double[] u = new double[m * ucols];
        double[] vs = new double[n * n];
        double[] s = new double[n];
        double tiny = norms.length == 0 ? 0 : norms[order[0]] * EPS * Math.max(m, n);
        boolean[] missing = new boolean[ucols];
        for (int c = 0; c < n; c++) {
            int j = order[c];
            s[c] = norms[j];
            for (int r = 0; r < n; r++) {
                vs[r * n + c] = v[r * n + j];
            }
            if (norms[j] > tiny && norms[j] > 0) {
                for (int r = 0; r < m; r++) {
                    u[r * ucols + c] = w[r * n + j] / norms[j];
                }
            } else {
                missing[c] = true;
            }
        }
        for (int c = n; c < ucols; c++) {
            missing[c] = true;
        }
        // Columns for zero singular values (and U's extra columns): orthonormal to the others.
        complete(u, m, ucols, missing);
        normalizeSigns(u, m, ucols, null);
        // Keep U diag(S) Vᵀ = A: flip V's columns with U's first k.
        for (int c = 0; c < n; c++) {
            double dot = 0;
            for (int r = 0; r < m; r++) {
                dot += u[r * ucols + c] * w[r * n + order[c]];
            }
            if (dot < 0) {
                for (int r = 0; r < n; r++) {
                    vs[r * n + c] = -vs[r * n + c];
                }
            }
        }
        return new Svd(u, ucols, s, vs, n);
    }

    /** Fills the {@code missing} columns of Q (rows × cols) with unit vectors orthogonal to all the others, by Gram–Schmidt on e₁, e₂, .... */
    private static void complete(double[] q, int rows, int cols, boolean[] missing) {
        int candidate = 0;
        for (int c = 0; c < cols; c++) {
            if (!missing[c]) {
                continue;
            }
            while (true) {
                double[] x = new double[rows];
                x[candidate % rows] = 1;
                candidate++;
                for (int pass = 0; pass < 2; pass++) {
                    for (int o = 0; o < cols; o++) {
                        if (o == c || missing[o] && o > c) {
                            continue;
                        }
                        double dot = 0;
                        for (int r = 0; r < rows; r++) {
                            dot += q[r * cols + o] * x[r];
                        }
                        for (int r = 0; r < rows; r++) {
                            x[r] -= dot * q[r * cols + o];
                        }
                    }
                }
                double norm = 0;
                for (double e : x) {
                    norm += e * e;
                }
                norm = Math.sqrt(norm);
                if (norm > 0.5) {
                    for (int r = 0; r < rows; r++) {
                        q[r * cols + c] = x[r] / norm;
                    }
                    missing[c] = false;
                    break;
                }
            }
        }
    }

    /** Applies H = I - τ v vᵀ (v acting on rows j..rows-1) to columns fromColumn.. of the rows × cols matrix a: x ← x - τ v (vᵀ x). */
    private static void reflect(double[] a, int rows, int cols, int fromColumn, int j, double[] v, double tau) {
        if (tau == 0 || fromColumn >= cols) {
            return;
        }
        // Row by row, so that every pass walks contiguous memory: first all the columns' vᵀ x, then the updates.
        double[] dots = new double[cols];
        for (int i = j; i < rows; i++) {
            double vi = v[i - j];
            int row = i * cols;
            for (int c = fromColumn; c < cols; c++) {
                dots[c] += vi * a[row + c];
            }
        }
        for (int i = j; i < rows; i++) {
            double vi = tau * v[i - j];
            int row = i * cols;
            for (int c = fromColumn; c < cols; c++) {
                a[row + c] -= dots[c] * vi;
            }
        }
    }

    /** Q (m × qcols) and R (qcols × n, upper triangular). */
    record Qr(double[] q, int qcols, double[] r) {
    }

    /**
     * Householder QR with LAPACK's reflectors ({@code dlarfg}: R's diagonal takes the sign opposite
     * to the column's leading entry). {@code complete}: Q is m × m and R m × n; otherwise Q is
     * m × k and R k × n, k = min(m, n).
     */
    static Qr qr(double[] a, int m, int n, boolean complete) {
        int k = Math.min(m, n);
        double[] w = a.clone();
        double[][] reflectors = new double[k][];
        double[] taus = new double[k];
        for (int j = 0; j < k; j++) {
            double alpha = w[j * n + j];
            double xnorm = 0;
            for (int i = j + 1; i < m; i++) {
                xnorm = Math.hypot(xnorm, w[i * n + j]);
            }
            double[] vj = new double[m - j];
            vj[0] = 1;
            if (xnorm == 0) {
                taus[j] = 0;
                reflectors[j] = vj;
                continue;
            }
            double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
            taus[j] = (beta - alpha) / beta;
            for (int i = j + 1; i < m; i++) {
                vj[i - j] = w[i * n + j] / (alpha - beta);
            }
            reflectors[j] = vj;
            w[j * n + j] = beta;
            for (int i = j + 1; i < m; i++) {
                w[i * n + j] = 0;
            }
            reflect(w, m, n, j + 1, j, vj, taus[j]);
        }
        int qcols = complete ? m : k;
        double[] q = identity(m, qcols);
        for (int j = k - 1; j >= 0; j--) {
            reflect(q, m, qcols, 0, j, reflectors[j], taus[j]);
        }
        double[] r = new double[qcols * n];
        for (int i = 0; i < Math.min(qcols, m); i++) {
            for (int c = i; c < n; c++) {
                r[i * n + c] = w[i * n + c];
            }
        }
        return new Qr(q, qcols, r);
    }
}
