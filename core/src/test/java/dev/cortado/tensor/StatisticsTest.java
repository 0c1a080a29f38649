package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.assertWaveSums;
import static dev.cortado.testing.Inputs.wave;
import static dev.cortado.testing.Inputs.waveLeaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** quantile, nanquantile, cov, corrcoef, tensordot and trapezoid against what PyTorch 1.13 prints for the same calls. */
class StatisticsTest extends OnReference {
    private static final float NaN = Float.NaN;

    @Test
    void quantilesInterpolateAsPyTorchAndStopAtNaN() {
        Tensor x = Tensor.fromArray(new float[] {3, 1, 4, 1, 5, 9, 2, 6, NaN, 3, 5, 8, 9, 7}, 2, 7);
        // The reference backend keeps doubles: float32's rank 0.9f · 6 = 5.3999996 is checked on every backend by the contract.
        assertArrayEquals(new float[] {6.599998474121094f, NaN}, x.quantile(0.9, 1, false).toFloatArray(), 2e-6f, "a NaN in the line gives NaN");
        assertArrayEquals(new float[] {6.599998474121094f, 8.5f}, x.nanquantile(0.9, 1, false).toFloatArray(), 2e-6f);
        assertArrayEquals(new float[] {1.5f, 5.25f}, x.nanquantile(0.25, 1, false).toFloatArray());
        Tensor qs = Tensor.fromArray(new float[] {0.1f, 0.3f, 0.5f, 0.75f, 0.9f}, 5);
        Tensor row = x.select(0, 0);
        assertArrayEquals(new float[] {1f, 1.8000000715255737f, 3f, 4.5f, 6.599998474121094f}, row.quantile(qs, null, false, "linear").toFloatArray(),
                2e-6f);
        assertArrayEquals(new float[] {1, 1, 3, 4, 5}, row.quantile(qs, null, false, "lower").toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 5, 9}, row.quantile(qs, null, false, "higher").toFloatArray());
        assertArrayEquals(new float[] {1, 1.5f, 3, 4.5f, 7}, row.quantile(qs, null, false, "midpoint").toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, row.quantile(qs, null, false, "nearest").toFloatArray(), "ranks round half to even");
        assertEquals(2.200000047683716, Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2).quantile(0.4).item(), 1e-6);

        Tensor two = Tensor.fromArray(new float[] {0.25f, 0.5f}, 2);
        assertArrayEquals(new int[] {2, 2, 1}, x.quantile(two, 1, true, "linear").shape());
        Tensor byColumn = x.quantile(two, 0, true, "linear");
        assertArrayEquals(new int[] {2, 1, 7}, byColumn.shape());
        assertArrayEquals(new float[] {3.75f, NaN, 3.25f, 2, 5.75f, 9, 3.25f, 4.5f, NaN, 3.5f, 3, 6.5f, 9, 4.5f}, byColumn.toFloatArray());
        assertArrayEquals(new int[] {1, 7}, x.quantile(0.5, 0, true).shape());
        assertArrayEquals(new int[] {1, 1}, x.quantile(Tensor.scalar(0.3), null, true, "linear").shape());
        assertTrue(Float.isNaN((float) Tensor.fromArray(new float[] {NaN, NaN}, 2).nanquantile(0.5, 0, false).item()), "all NaN gives NaN");

        assertMessage(() -> x.quantile(1.5), "quantile: q values must be in the range [0, 1], got 1.5");
        assertMessage(() -> x.quantile(Tensor.scalar(0.5), null, false, "cubic"),
                "quantile: interpolation must be one of linear, lower, higher, midpoint or nearest, got cubic");
        assertMessage(() -> Tensor.zeros(0).quantile(0.5), "quantile: input tensor must be non-empty");
        assertMessage(() -> Tensor.arange(4).quantile(0.5), "quantile: input tensor must be float32, got int64");
        assertMessage(() -> x.quantile(Tensor.zeros(2, 2), 0, false, "linear"), "quantile: q must be a scalar or 1D tensor");
    }

    @Test
    void quantileGradientsFlowThroughTheSort() {
        Tensor a = wave(24, 0.3, false, 4, 6).mul(3).requiresGrad_(true);
        assertWaveSums("quantile 0.3 of rows", () -> a.quantile(0.3, 1, true), new Tensor[] {a}, new int[] {4, 1}, -1.9571741819381714,
                -0.026895903050899506);
        Tensor b = wave(24, 0.3, false, 4, 6).mul(3).requiresGrad_(true);
        Tensor three = Tensor.fromArray(new float[] {0.1f, 0.5f, 0.95f}, 3);
        assertWaveSums("three quantiles of columns", () -> b.quantile(three, 0, false, "linear"), new Tensor[] {b}, new int[] {3, 6},
                3.530660390853882, -0.4066157341003418);
        Tensor c = wave(24, 0.3, false, 4, 6).mul(3).requiresGrad_(true);
        assertWaveSums("midpoint quantiles of all", () -> c.quantile(three, null, false, "midpoint"), new Tensor[] {c}, new int[] {3},
                0.3996455669403076, -0.15968984365463257);
        check(in -> in[0].quantile(0.35, 0, false), Tensor.randn(5, 3));
    }

    @Test
    void covarianceAndCorrelationMatchPyTorch() {
        Tensor b = wave(24, 0.3, false, 4, 6).mul(3).requiresGrad_(true);
        assertWaveSums("cov", b::cov, new Tensor[] {b}, new int[] {4, 4}, 0.7088755965232849, 0.26721227169036865);
        Tensor d = wave(24, 0.3, false, 4, 6).mul(3).requiresGrad_(true);
        assertWaveSums("cov, correction 0", () -> d.cov(0), new Tensor[] {d}, new int[] {4, 4}, 0.5907299518585205, 0.22267679870128632);
        Tensor c = wave(24, 0.3, false, 4, 6).mul(3).requiresGrad_(true);
        assertWaveSums("corrcoef", c::corrcoef, new Tensor[] {c}, new int[] {4, 4}, 0.05120748281478882, 0.23197965323925018);
        Tensor line = Tensor.fromArray(new float[] {1, 2, 4}, 3);
        assertEquals(2.3333332538604736, line.cov().item(), 1e-7);
        assertEquals(1, line.corrcoef().item(), 0);
        assertEquals(Double.POSITIVE_INFINITY, Tensor.fromArray(new float[] {1, 2}, 1, 2).cov(2).item(), "n - correction <= 0 divides by 0");
        assertMessage(() -> Tensor.zeros(2, 2, 2).cov(), "cov: expected input to have two or fewer dimensions but got an input with 3 dimensions");
        check(in -> in[0].cov().add(in[0].corrcoef()), Tensor.randn(3, 5));
    }

    @Test
    void tensordotMatchesPyTorch() {
        Tensor p = waveLeaf(24, 0.3, false, 2, 3, 4);
        Tensor q = waveLeaf(60, 0.5, true, 4, 3, 5);
        assertWaveSums("tensordot over (1, 2) and (1, 0)", () -> Tensor.tensordot(p, q, new int[] {1, 2}, new int[] {1, 0}), new Tensor[] {p, q},
                new int[] {2, 5}, 2.842458963394165, -4.335150241851807, -0.08855646848678589);
        Tensor p2 = waveLeaf(24, 0.3, false, 2, 3, 4);
        Tensor q2 = waveLeaf(40, 0.5, true, 4, 10);
        assertWaveSums("tensordot, dims 1", () -> Tensor.tensordot(p2, q2, 1), new Tensor[] {p2, q2}, new int[] {2, 3, 10}, 1.0977129936218262,
                -0.5534759163856506, -2.897974967956543);
        assertArrayEquals(new int[] {2, 3, 5}, Tensor.tensordot(Tensor.ones(2, 3), Tensor.ones(5), 0).shape(), "dims 0 is the outer product");
        assertMessage(() -> Tensor.tensordot(Tensor.zeros(2, 3), Tensor.zeros(4, 2), new int[] {1}, new int[] {0}),
                "tensordot: contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 0");
        assertMessage(() -> Tensor.tensordot(Tensor.zeros(2, 3), Tensor.zeros(3, 2), new int[] {1, 1}, new int[] {0, 1}), "appears more than once");
        assertMessage(() -> Tensor.tensordot(Tensor.zeros(2, 3), Tensor.zeros(3, 2), 3), "tensordot: dims 3 exceeds");
        assertMessage(() -> Tensor.tensordot(Tensor.scalar(1), Tensor.scalar(2), new int[] {0}, new int[] {-1}),
                "tensordot: cannot contract dims of a 0-dim tensor, got a () and b ()");
        assertMessage(() -> Tensor.tensordot(Tensor.arange(3), Tensor.zeros(3), 1), "tensordot: expected float32 tensors, got int64 and float32");
    }

    @Test
    void trapezoidMatchesPyTorch() {
        Tensor t = waveLeaf(20, 0.3, false, 4, 5);
        assertWaveSums("trapezoid along rows", () -> t.trapezoid(1, 1), new Tensor[] {t}, new int[] {4}, 0.22235488891601562, 0.3328288793563843);
        Tensor u = waveLeaf(20, 0.3, false, 4, 5);
        assertWaveSums("trapezoid, dx 0.5", () -> u.trapezoid(0.5, 0), new Tensor[] {u}, new int[] {5}, 0.5475955605506897, -0.019325584173202515);
        Tensor points = Tensor.fromArray(new float[] {0, 0.5f, 2, 2.5f, 4}, 5);
        Tensor v = waveLeaf(20, 0.3, false, 4, 5);
        assertWaveSums("trapezoid at points", () -> v.trapezoid(points, 1), new Tensor[] {v}, new int[] {4}, 0.16637301445007324, 0.2745567262172699);
        Tensor grid = wave(20, 0.7, true, 4, 5).cumsum(1);
        Tensor w = waveLeaf(20, 0.3, false, 4, 5);
        assertWaveSums("trapezoid at per-row points", () -> w.trapezoid(grid, 1), new Tensor[] {w}, new int[] {4}, -1.0066173076629639,
                1.0146785974502563);
        assertArrayEquals(new float[] {0, 0}, Tensor.zeros(2, 0).trapezoid(1, 1).toFloatArray(), "no samples integrate to 0");
        assertMessage(() -> t.trapezoid(Tensor.ones(4), 1), "trapezoid: there must be one `x` value for each sample point");
        assertMessage(() -> t.trapezoid(Tensor.ones(4, 1), 1), "trapezoid: x (4, 1) must have 5 sample points along dim 1 of y (4, 5), got 1");
        assertMessage(() -> t.trapezoid(Tensor.ones(3, 5), 1), "trapezoid: shapes (3, 5) and (4, 5) cannot be broadcast");
        assertMessage(() -> Tensor.scalar(1).trapezoid(1, -1), "trapezoid: dimension specified as -1 but tensor has no dimensions");
    }

    @Test
    void elementwiseExtrasMatchPyTorch() {
        Tensor u = Tensor.fromArray(new float[] {1, NaN, -2, 3, NaN, 0, -0f}, 7).requiresGrad_(true);
        Tensor v = Tensor.fromArray(new float[] {2, 1, NaN, -3, NaN, -0f, 0}, 7).requiresGrad_(true);
        assertArrayEquals(new float[] {2, 1, -2, 3, NaN, 0, -0f}, u.fmax(v).toFloatArray(), "NaN ignored; a tie keeps the first");
        assertArrayEquals(new float[] {1, 1, -2, -3, NaN, 0, -0f}, u.fmin(v).toFloatArray());
        u.fmax(v).sum().backward();
        assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1, 1}, u.grad().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 0}, v.grad().toFloatArray());
        assertEquals("FminBackward0", u.fmin(v).gradFn().name());

        Tensor w = Tensor.fromArray(new float[] {4, 0.25f, 0, -1, Float.POSITIVE_INFINITY}, 5).requiresGrad_(true);
        Tensor r = w.rsqrt();
        assertEquals("RsqrtBackward0", r.gradFn().name());
        assertArrayEquals(new float[] {0.5f, 2, Float.POSITIVE_INFINITY, NaN, 0}, r.toFloatArray());
        r.sum().backward();
        assertArrayEquals(new float[] {-0.0625f, -4, Float.NEGATIVE_INFINITY, NaN, -0f}, w.grad().toFloatArray());
        Tensor w2 = Tensor.fromArray(new float[] {4, 0.25f, 0, -1, Float.POSITIVE_INFINITY}, 5).requiresGrad_(true);
        Tensor rec = w2.reciprocal();
        assertEquals("ReciprocalBackward0", rec.gradFn().name());
        assertArrayEquals(new float[] {0.25f, 4, Float.POSITIVE_INFINITY, -1, 0}, rec.toFloatArray());
        rec.sum().backward();
        assertArrayEquals(new float[] {-0.0625f, -16, Float.NEGATIVE_INFINITY, -1, -0f}, w2.grad().toFloatArray());

        assertArrayEquals(new float[] {3.1415927410125732f, -1.5707963705062866f}, Tensor.fromArray(new float[] {180, -90}, 2).deg2rad().toFloatArray());
        assertArrayEquals(new float[] {180, 57.295780181884766f}, Tensor.fromArray(new float[] {3.14159265f, 1}, 2).rad2deg().toFloatArray());
        Tensor p = Tensor.fromArray(new float[] {1, 0, 2, NaN}, 4);
        assertArrayEquals(new float[] {1, 0, 0, 1}, p.logicalAnd(Tensor.fromArray(new float[] {1, 1, 0, 1}, 4)).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 1, 1}, p.logicalXor(Tensor.fromArray(new float[] {1, 1, 0, 0}, 4)).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1}, p.logicalOr(Tensor.fromArray(new float[] {1, 1, 0, 0}, 4)).toFloatArray());
        assertArrayEquals(new float[] {0, 1, 0, 1}, Tensor.fromArray(new float[] {1, 0, NaN, -0f}, 4).logicalNot().toFloatArray());
        assertMessage(() -> p.logicalXor(Tensor.ones(3)), "logical_xor: shapes (4,) and (3,) cannot be broadcast");
        check(in -> in[0].fmax(in[1]).add(in[0].fmin(in[1].mul(0.5))), Tensor.randn(3, 4), Tensor.randn(4));
        check(in -> in[0].rsqrt().add(in[0].reciprocal()), Tensor.rand(5).add(0.5));
    }
}
