package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torch.linalg's factorizations against what PyTorch 1.13 prints for the same calls (eigenvectors
 * and singular vectors squared, which their signs do not change), finite differences, and the
 * errors PyTorch raises.
 */
class LinalgTest extends OnReference {
    private static Tensor eye3() {
        return Tensor.eye(3);
    }

    private static Tensor squares() {
        return wave(18, 0.7, false, 2, 3, 3).requiresGrad_(true);
    }

    private static Tensor tall() {
        return wave(24, 0.7, false, 2, 4, 3).add(Tensor.eye(4, 3).mul(2)).detach().requiresGrad_(true);
    }

    private static Tensor wide() {
        return wave(30, 0.7, false, 2, 3, 5).add(Tensor.eye(3, 5).mul(2)).detach().requiresGrad_(true);
    }

    @Test
    void choleskyAndTriangularSolvesMatchPyTorch() {
        Tensor x = squares();
        assertWaveSums("cholesky", () -> Linalg.cholesky(x.matmul(x.mT()).add(eye3().mul(3))), new Tensor[] {x}, new int[] {2, 3, 3},
                10.226561209458016, 0.33534549599247093);
        Tensor y = squares();
        assertWaveSums("cholesky upper", () -> Linalg.cholesky(y.matmul(y.mT()).add(eye3().mul(3)), true), new Tensor[] {y},
                new int[] {2, 3, 3}, 10.226561209458017, 0.22643371487900646);
        Tensor a = wave(9, 0.7, false, 3, 3).add(eye3().mul(2)).detach().requiresGrad_(true);
        Tensor b = wave(6, 0.4, true, 3, 2).requiresGrad_(true);
        assertWaveSums("solve_triangular upper left", () -> Linalg.solveTriangular(a, b, true, true, false), new Tensor[] {a, b},
                new int[] {3, 2}, 1.0698086926494232, 0.09557974389143216, -0.6595657905295406);
        Tensor a2 = wave(9, 0.7, false, 3, 3).add(eye3().mul(2)).detach().requiresGrad_(true);
        Tensor b2 = wave(6, 0.4, true, 2, 3).requiresGrad_(true);
        assertWaveSums("solve_triangular lower right unit", () -> Linalg.solveTriangular(a2, b2, false, false, true),
                new Tensor[] {a2, b2}, new int[] {2, 3}, 2.047149471411679, -0.11787028639287854, -0.995897862858424);
    }

    @Test
    void eighAndSvdMatchPyTorch() {
        Tensor x = squares();
        assertWaveSums("eigh values", () -> Linalg.eigh(x.add(x.mT())).eigenvalues(), new Tensor[] {x}, new int[] {2, 3},
                -1.157006841152907, 0.4860426189387889);
        Tensor y = squares();
        assertWaveSums("eigh vectors squared", () -> Linalg.eigh(y.add(y.mT())).eigenvectors().square(), new Tensor[] {y},
                new int[] {2, 3, 3}, 5.999999999999999, -0.0001690681556280934);
        Tensor s = tall();
        assertWaveSums("svd S", () -> Linalg.svd(s, false).S(), new Tensor[] {s}, new int[] {2, 3}, 14.11367579121762, -0.6617050053824938);
        Tensor u = tall();
        assertWaveSums("svd U squared", () -> Linalg.svd(u, false).U().square(), new Tensor[] {u}, new int[] {2, 4, 3},
                5.999999999999999, -0.01205951165036287);
        Tensor v = wide();
        assertWaveSums("svd Vh squared wide", () -> Linalg.svd(v, false).Vh().square(), new Tensor[] {v}, new int[] {2, 3, 5},
                5.999999999999998, -0.047889689190848746);
    }

    @Test
    void qrAndWhatIsBuiltOnTheSvdMatchPyTorch() {
        Tensor q = tall();
        assertWaveSums("qr Q", () -> Linalg.qr(q).Q(), new Tensor[] {q}, new int[] {2, 4, 3}, -5.8378116306392815, -0.9605466004676433);
        Tensor r = wide();
        assertWaveSums("qr R wide", () -> Linalg.qr(r).R(), new Tensor[] {r}, new int[] {2, 3, 5}, -5.140944361874399, -1.685392406069399);
        // LAPACK's signs: R's diagonal opposite to each column's leading entry.
        assertArrayEquals(new float[] {-1.0408306f, -0.704381f, 0, 0.8871546f}, Linalg.qr(wave(6, 0.7, false, 3, 2)).R().toFloatArray(),
                1e-6f);
        Tensor p = tall();
        assertWaveSums("pinv", () -> Linalg.pinv(p), new Tensor[] {p}, new int[] {2, 3, 4}, 2.913861607254685, 0.428957511189024);
        Tensor n = tall();
        assertWaveSums("matrix_norm nuc", () -> Linalg.matrixNorm(n, "nuc"), new Tensor[] {n}, new int[] {2}, 14.113675791217618,
                -0.22327400931012087);
        Tensor two = wide();
        assertWaveSums("matrix_norm 2", () -> Linalg.matrixNorm(two, "2"), new Tensor[] {two}, new int[] {2}, 7.239773571120299,
                -0.21638951749642285);
        Tensor c = tall();
        assertWaveSums("cond", () -> Linalg.cond(c), new Tensor[] {c}, new int[] {2}, 5.1153488632650514, -0.2097727944304092);
        Tensor la = tall();
        Tensor lb = wave(16, 0.4, true, 2, 4, 2).requiresGrad_(true);
        assertWaveSums("lstsq", () -> Linalg.lstsq(la, lb).solution(), new Tensor[] {la, lb}, new int[] {2, 3, 2}, -0.07739797073611987,
                -0.3100169049965201, -0.5703803480811881);
        Linalg.Lstsq deficient = Linalg.lstsq(Tensor.fromArray(new float[] {1, 2, 2, 4, 3, 6}, 3, 2), Tensor.ones(3));
        assertArrayEquals(new float[] {0.08571428571428569f, 0.17142857142857137f}, deficient.solution().toFloatArray(), 1e-7f,
                "the least-norm solution, for one vector");
        assertEquals(1, deficient.rank().item(), 0);
        assertEquals(0, deficient.residuals().numel());
        assertMessage(() -> Linalg.lstsq(Tensor.zeros(5, 3), Tensor.zeros(4, 2)), "torch.linalg.lstsq: input.size(-2) should match other.size(-2)");
        Tensor m = Tensor.fromArray(new float[] {1, 2, 3, 2, 4, 6, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 2, 3, 3);
        assertArrayEquals(new long[] {2, 3}, Linalg.matrixRank(m).toLongArray());
        Tensor rank1 = Tensor.fromArray(new float[] {1, 2, 2, 4}, 2, 2);
        assertArrayEquals(new float[] {0.04f, 0.08f, 0.08f, 0.16f}, Linalg.pinv(rank1).toFloatArray(), 1e-7f);
        Tensor a = Tensor.fromArray(new float[] {1, -2, 3, -4, 5, -6}, 2, 3);
        assertEquals(Math.sqrt(91), Linalg.matrixNorm(a, "fro").item(), 1e-6);
        assertEquals(9, Linalg.matrixNorm(a, "1").item(), 0);
        assertEquals(5, Linalg.matrixNorm(a, "-1").item(), 0);
        assertEquals(15, Linalg.matrixNorm(a, "inf").item(), 0);
        assertEquals(6, Linalg.matrixNorm(a, "-inf").item(), 0);
    }

    @Test
    void compositionsMatchPyTorch() {
        Tensor p = squares();
        assertWaveSums("matrix_power 3", () -> Linalg.matrixPower(p, 3), new Tensor[] {p}, new int[] {2, 3, 3}, 0.0103706240545694,
                1.1605120604830086);
        Tensor q = squares();
        assertWaveSums("matrix_power -2", () -> Linalg.matrixPower(q.add(eye3().mul(3)), -2), new Tensor[] {q}, new int[] {2, 3, 3},
                0.6657006736353868, -0.12246623075368031);
        Tensor e = squares();
        assertWaveSums("matrix_exp", () -> Linalg.matrixExp(e.mul(3)), new Tensor[] {e}, new int[] {2, 3, 3}, 5.730826026027874,
                0.7732204565689571);
        Tensor a = wave(4, 0.3, false, 4).requiresGrad_(true);
        Tensor b = wave(12, 0.5, true, 4, 3).requiresGrad_(true);
        Tensor c = wave(6, 0.7, false, 3, 2).requiresGrad_(true);
        assertWaveSums("multi_dot", () -> Linalg.multiDot(java.util.List.of(a, b, c)), new Tensor[] {a, b, c}, new int[] {2},
                -1.2462973186926167, 0.13671094285768656, 0.047914828975058714, -0.019425328751146588);
        Tensor v = wave(6, 0.9, true, 2, 3).requiresGrad_(true);
        assertWaveSums("vander", () -> Linalg.vander(v, 4), new Tensor[] {v}, new int[] {2, 3, 4}, 8.245761411483526, 0.13176979835528568);
        Tensor x = wave(6, 0.9, true, 2, 3).requiresGrad_(true);
        Tensor y = wave(3, 0.4, false, 3).requiresGrad_(true);
        assertWaveSums("vecdot", () -> Linalg.vecdot(x, y, -1), new Tensor[] {x, y}, new int[] {2}, -0.4213482731287801,
                -0.10247139831491847, -0.17063447663851983);
        Tensor m = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new float[] {51.96895619870501f, 74.73656456700323f, 112.10484685050486f, 164.07380304920989f},
                Linalg.matrixExp(m).toFloatArray(), 2e-5f);
        assertArrayEquals(new float[] {37, 54, 81, 118}, Linalg.matrixPower(m, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1}, Linalg.matrixPower(m, 0).toFloatArray());
        assertArrayEquals(new float[] {5.5f, -2.5f, -3.75f, 1.75f}, Linalg.matrixPower(m, -2).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {1, 1, 1, 1, 2, 4, 1, 3, 9}, Linalg.vander(Tensor.fromArray(new float[] {1, 2, 3}, 3)).toFloatArray());
        assertArrayEquals(new float[] {3, 7}, Linalg.vecdot(m, Tensor.ones(2), -1).toFloatArray());
        assertMessage(() -> Linalg.matrixPower(Tensor.zeros(2, 3), 2),
                "linalg.matrix_power: A must be batches of square matrices, but they are 2 by 3 matrices");
        assertMessage(() -> Linalg.multiDot(java.util.List.of(m)), "multi_dot(): expected at least 2 tensors but got 1");
        assertMessage(() -> Linalg.multiDot(java.util.List.of(Tensor.zeros(2, 3), Tensor.zeros(4, 2))),
                "multi_dot(): tensors 0 and 1 with shapes (2, 3) and (4, 2) cannot be multiplied");
        assertMessage(() -> Linalg.multiDot(java.util.List.of(Tensor.zeros(2, 3), Tensor.zeros(3), Tensor.zeros(3, 1))),
                "multi_dot(): tensor 1 must be 2D but got 1D");
        assertMessage(() -> Linalg.matrixExp(Tensor.zeros(2, 3)), "linalg.matrix_exp: A must be batches of square matrices");
        assertMessage(() -> Linalg.multiDot(java.util.List.of(m, Tensor.arange(4).reshape(2, 2))), "multi_dot(): expected float32 tensors, tensor 1 is int64");
    }

    @Test
    void factorsReconstructTheirMatrices() {
        Tensor t = Tensor.randn(2, 5, 3);
        for (boolean full : new boolean[] {false, true}) {
            for (Tensor a : new Tensor[] {t, t.mT()}) {
                Linalg.Svd f = Linalg.svd(a, full);
                int k = f.S().size(-1);
                Tensor rebuilt = f.U().narrow(-1, 0, k).mul(f.S().unsqueeze(-2)).matmul(f.Vh().narrow(-2, 0, k));
                assertClose("U S Vh", rebuilt, a, 1e-12);
                assertClose("Uᵀ U", f.U().mT().matmul(f.U()), Tensor.eye(f.U().size(-1)).expand(f.U().mT().matmul(f.U()).shape()), 1e-12);
                assertClose("Vh Vhᵀ", f.Vh().matmul(f.Vh().mT()), Tensor.eye(f.Vh().size(-2)).expand(f.Vh().matmul(f.Vh().mT()).shape()),
                        1e-12);
            }
        }
        Tensor sym = t.mT().matmul(t);
        Linalg.Eigh e = Linalg.eigh(sym);
        assertClose("V L Vᵀ", e.eigenvectors().mul(e.eigenvalues().unsqueeze(-2)).matmul(e.eigenvectors().mT()), sym, 1e-12);
        for (String mode : new String[] {"reduced", "complete"}) {
            Linalg.Qr f = Linalg.qr(t, mode);
            assertClose("Q R " + mode, f.Q().matmul(f.R()), t, 1e-12);
            assertClose("R upper " + mode, f.R(), f.R().triu(), 0);
        }
        assertClose("mode r", Linalg.qr(t, "r").R(), Linalg.qr(t).R(), 0);
        assertEquals(0, Linalg.qr(t, "r").Q().numel());
        Tensor l = Linalg.cholesky(sym);
        assertClose("L Lᵀ", l.matmul(l.mT()), sym, 1e-12);
        // Repeated eigenvalues and singular values, and a zero singular value, are fine going forward.
        assertClose("eigh(I)", Linalg.eigh(eye3()).eigenvalues(), Tensor.ones(3), 0);
        Linalg.Svd z = Linalg.svd(Tensor.fromArray(new float[] {1, 2, 2, 4}, 2, 2), true);
        assertEquals(0, z.S().toFloatArray()[1], 1e-6);
        assertClose("completed U", z.U().mT().matmul(z.U()), Tensor.eye(2), 1e-12);
        assertArrayEquals(new int[] {0, 0}, Linalg.svd(Tensor.zeros(0, 3)).U().shape());
        assertArrayEquals(new int[] {3, 3}, Linalg.svd(Tensor.zeros(0, 3)).Vh().shape());
        assertArrayEquals(new int[] {0}, Linalg.eigh(Tensor.zeros(0, 0)).eigenvalues().shape());
        // Empty matrices as PyTorch: pinv transposes the shape, rank, cond and the nuclear norm are 0.
        assertArrayEquals(new int[] {2, 3, 0}, Linalg.pinv(Tensor.zeros(2, 0, 3)).shape());
        assertArrayEquals(new long[] {0, 0}, Linalg.matrixRank(Tensor.zeros(2, 0, 3)).toLongArray());
        assertArrayEquals(new float[] {0, 0}, Linalg.cond(Tensor.zeros(2, 0, 3)).toFloatArray());
        assertEquals(0, Linalg.matrixNorm(Tensor.zeros(3, 0), "nuc").item(), 0);
        assertMessage(() -> Linalg.matrixNorm(Tensor.zeros(3, 0), "2"), "linalg.matrix_norm: ord 2 needs matrices with rows and columns, got shape (3, 0)");
    }

    @Test
    void gradientsAgreeWithFiniteDifferences() {
        Tensor x = Tensor.randn(2, 3, 3);
        // Cholesky and eigh read one triangle, so they are checked through a symmetric argument, as PyTorch's tests do.
        check(in -> Linalg.cholesky(in[0].matmul(in[0].mT()).add(eye3())), x);
        check(in -> Linalg.cholesky(in[0].matmul(in[0].mT()).add(eye3()), true), x);
        check(in -> Linalg.eigh(in[0].add(in[0].mT())).eigenvalues(), x);
        check(in -> Linalg.eigh(in[0].add(in[0].mT())).eigenvectors().square(), x);
        Tensor a = Tensor.randn(2, 3, 3).add(eye3().mul(3));
        for (boolean upper : new boolean[] {false, true}) {
            for (boolean left : new boolean[] {false, true}) {
                check(in -> Linalg.solveTriangular(in[0], in[1], upper, left, !left), a, Tensor.randn(3, 3));
            }
        }
        Tensor tall = Tensor.randn(2, 4, 3);
        Tensor wide = Tensor.randn(3, 5);
        for (Tensor m : new Tensor[] {tall, wide}) {
            check(in -> Linalg.svd(in[0], false).S(), m);
            check(in -> Linalg.svd(in[0], false).U().square(), m);
            check(in -> Linalg.svd(in[0], true).Vh().narrow(-2, 0, 3).square(), m);
            check(in -> Linalg.qr(in[0]).Q(), m);
            check(in -> Linalg.qr(in[0]).R(), m);
            check(in -> Linalg.pinv(in[0]), m);
            check(in -> Linalg.lstsq(in[0], in[1]).solution(), m, Tensor.randn(m.size(-2), 2));
        }
        check(in -> Linalg.qr(in[0], "complete").Q(), wide);
        check(in -> Linalg.matrixPower(in[0], 5), Tensor.randn(2, 3, 3).mul(0.5));
        check(in -> Linalg.matrixPower(in[0], -3), a);
        check(in -> Linalg.matrixExp(in[0]), Tensor.randn(2, 3, 3).mul(2));
        check(in -> Linalg.multiDot(java.util.List.of(in[0], in[1], in[2], in[3])), Tensor.randn(5), Tensor.randn(5, 2), Tensor.randn(2, 6),
                Tensor.randn(6, 3));
        check(in -> Linalg.vander(in[0], 5), Tensor.randn(2, 4));
        check(in -> Linalg.pinv(in[0]), Tensor.fromArray(new float[] {1, 2, 3, 2, 4, 6.5f}, 2, 3));
    }

    @Test
    void usingOneOutputStillTrainsThroughTheOthersNode() {
        Tensor x = Tensor.randn(3, 3).requiresGrad_(true);
        Linalg.Eigh e = Linalg.eigh(x.add(x.mT()));
        assertEquals("LinalgEighBackward0", e.eigenvalues().gradFn().name());
        assertEquals("LinalgEighBackward0", e.eigenvectors().gradFn().name());
        e.eigenvalues().sum().backward();
        // d trace(X + Xᵀ) / dX = 2 I.
        assertClose("grad of the eigenvalues' sum", x.grad(), eye3().mul(2), 1e-12);
        assertEquals("LinalgSvdBackward0", Linalg.svdvals(x).gradFn().name());
        assertEquals("LinalgQrBackward0", Linalg.qr(x).R().gradFn().name());
        assertEquals("LinalgCholeskyExBackward0", Linalg.cholesky(x.matmul(x.mT()).add(eye3())).gradFn().name());
        assertEquals("LinalgSolveTriangularBackward0", Linalg.solveTriangular(x, x, true, true, false).gradFn().name());
        assertEquals("LinalgPinvBackward0", Linalg.pinv(x).gradFn().name());
        assertEquals(3, Linalg.lstsq(x, x).solution().size(-1));
    }

    /**
     * Eigenvalues or singular values alone need no division by their gaps, so repeated or zero
     * ones keep a finite gradient; PyTorch 1.13 prints the same for these calls.
     */
    @Test
    void valuesAloneHaveGradientsAtRepeatedValues() {
        Tensor eye = Tensor.eye(3).requiresGrad_(true);
        Linalg.eigvalsh(eye).mul(Tensor.fromArray(new float[] {1, 2, 3}, 3)).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0, 2, 0, 0, 0, 3}, eye.grad().toFloatArray());
        Tensor rank1 = Tensor.fromArray(new float[] {1, 2, 0, 2, 4, 0, 0, 0, 0}, 3, 3).requiresGrad_(true);
        Linalg.svdvals(rank1).sum().backward();
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, rank1.grad().toFloatArray(), 1e-6f);
        Tensor c = Tensor.fromArray(new float[] {1, 2, 2, 4}, 2, 2).requiresGrad_(true);
        Linalg.matrixNorm(c, "nuc").backward();
        assertArrayEquals(new float[] {1, 0, 0, 1}, c.grad().toFloatArray(), 1e-6f);
        // Used twice, once with the vectors: the gap terms come back.
        Tensor x = Tensor.randn(3, 3).requiresGrad_(true);
        Linalg.Eigh e = Linalg.eigh(x.add(x.mT()));
        Tensor sum = e.eigenvalues().sum();
        sum.backward(sum.onesLike(), true);
        Tensor first = x.grad().clone();
        x.grad().zero_();
        e.eigenvectors().sum().backward();
        assertTrue(x.grad().sub(first).abs().sum().item() > 1e-3, "the second pass used the eigenvectors' gradient");
    }

    @Test
    void refusesWhatPyTorchRefuses() {
        Tensor notPd = Tensor.fromArray(new float[] {1, 0, 0, 1, 1, 2, 2, 1}, 2, 2, 2);
        assertMessage(() -> Linalg.cholesky(notPd), "linalg.cholesky: (Batch element 1): The factorization could not be completed because the"
                + " input is not positive-definite (the leading minor of order 2 is not positive-definite).");
        assertMessage(() -> Linalg.eigh(Tensor.zeros(2, 3)), "linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices");
        assertMessage(() -> Linalg.svd(Tensor.fromArray(new float[] {1, Float.NaN, 0, 1}, 2, 2)),
                "linalg.svd: The algorithm failed to converge because the input matrix contained non-finite values.");
        assertTrue(Double.isNaN(Linalg.eigh(Tensor.fromArray(new float[] {1, Float.NaN, Float.NaN, 1}, 2, 2)).eigenvalues().toFloatArray()[0]),
                "eigh gives NaN for NaN, as PyTorch 1.13");
        assertMessage(() -> Linalg.qr(Tensor.zeros(3, 3), "x"),
                "qr received unrecognized mode 'x' but expected one of 'reduced' (default), 'r', or 'complete'");
        assertMessage(() -> Linalg.solveTriangular(Tensor.eye(3), Tensor.zeros(2, 3), true, true, false),
                "linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B (3x3 and 2x3)");
        assertMessage(() -> Linalg.svd(Tensor.zeros(3)), "linalg.svd: The input tensor A must have at least 2 dimensions, got (3,)");
        assertMessage(() -> Linalg.qr(Tensor.arange(4).reshape(2, 2)), "linalg.qr: expected a float32 tensor, got int64");
        assertMessage(() -> Linalg.matrixNorm(Tensor.eye(2), "3"), "linalg.matrix_norm: Order 3 not supported");
        Tensor r = Tensor.randn(3, 3).requiresGrad_(true);
        assertMessage(() -> Linalg.qr(r, "r").R().sum().backward(), "The derivative of linalg.qr depends on Q, which is not computed when mode='r'");
        Tensor tall = Tensor.randn(4, 3).requiresGrad_(true);
        assertMessage(() -> Linalg.qr(tall, "complete").Q().sum().backward(),
                "The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
    }
}
