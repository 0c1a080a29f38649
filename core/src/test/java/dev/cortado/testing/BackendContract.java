package dev.cortado.testing;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.OptimizerSteps;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.PadMode;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Function;

import static dev.cortado.testing.Inputs.assertParity;
import static dev.cortado.testing.Inputs.randn;
import static dev.cortado.testing.Inputs.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One suite for every backend: each primitive on sizes that break vector loops (1, 7, 17, 33,
 * 1000, ...), on transposed, sliced, flipped and broadcast views, compared with the reference.
 * A backend's test module extends this class and names its device.
 */
public abstract class BackendContract {
    private static final Device REF = ReferenceBackend.DEVICE;
    private static final double TOL = 2e-6;

    protected abstract Device device();

    private void same(String what, double tol, Function<Tensor[], Tensor> op, Tensor... inputs) {
        assertParity(what, device(), tol, op, inputs);
    }

    /** Ops composed from the primitives (no kernel of their own) run on every backend with the reference's values and gradients. */
    @Test
    void compositesOfThePrimitivesAgree() {
        Tensor a = randn(71, REF, 2, 3, 4);
        Tensor b = randn(72, REF, 2, 4, 5);
        Inputs.assertSecondOrderParity("two-layer perceptron", device(), 1e-5,
                in -> in[0].matmul(in[1].t()).relu().matmul(in[2].t()).softmax(1), randn(90, REF, 6, 5), randn(91, REF, 7, 5), randn(92, REF, 3, 7));
        Inputs.assertSecondOrderParity("sigmoid, tanh, mean", device(), 1e-5, in -> in[0].sigmoid().mul(in[0].tanh()).mean(new int[] {1}, false),
                randn(93, REF, 4, 9));
        Inputs.assertGradParity("einsum", device(), 1e-5, in -> Tensor.einsum("bij,bjk->bki", in[0], in[1]), a, b);
        Inputs.assertGradParity("einsum diagonal", device(), 1e-5, in -> Tensor.einsum("bii->bi", in[0]), a.narrow(2, 0, 3));
        Inputs.assertGradParity("cdist", device(), 1e-5, in -> Tensor.cdist(in[0], in[1], 2), a, randn(73, REF, 2, 6, 4));
        Inputs.assertGradParity("cdist through a matmul", device(), 1e-4, in -> Tensor.cdist(in[0], in[1], 2), randn(74, REF, 30, 4),
                randn(75, REF, 3, 4));
        Inputs.assertGradParity("cumprod", device(), 1e-5, in -> in[0].cumprod(1), randn(76, REF, 3, 9));
        Inputs.assertGradParity("lerp", device(), 1e-6, in -> in[0].lerp(in[1], in[2]), randn(77, REF, 8), randn(78, REF, 8), randn(79, REF, 8));
        Inputs.assertGradParity("conv1d", device(), 1e-4, in -> conv1d(in[0], in[1]), randn(80, REF, 2, 4, 11), randn(81, REF, 6, 2, 3));
        Inputs.assertGradParity("max_pool1d", device(), 1e-6, in -> dev.cortado.tensor.Pooling1d.maxPool1d(in[0],
                dev.cortado.tensor.PoolOptions.of(3).stride(2).padding(1)), randn(82, REF, 2, 3, 10));
        Inputs.assertGradParity("antialiased resize", device(), 1e-5, in -> dev.cortado.tensor.Resampling.bilinearAntialiased(in[0], 5, 9, false),
                randn(83, REF, 2, 13, 6));
        int[] ones = {1, 1, 1};
        Inputs.assertGradParity("conv3d", device(), 1e-4, in -> dev.cortado.tensor.Volumes.conv3d(in[0], in[1], null, new int[] {2, 1, 1},
                new int[] {1, 1, 0}, ones, 1), randn(86, REF, 2, 3, 5, 4, 4), randn(87, REF, 2, 3, 2, 3, 2));
        Inputs.assertGradParity("conv_transpose3d", device(), 1e-4, in -> dev.cortado.tensor.Volumes.convTranspose3d(in[0], in[1], in[2],
                new int[] {2, 1, 2}, new int[] {1, 0, 1}, new int[] {1, 0, 0}, 1, ones), randn(191, REF, 2, 2, 3, 3, 4), randn(192, REF, 2, 3, 3, 2, 2),
                randn(193, REF, 3));
        Inputs.assertGradParity("max_pool3d", device(), 1e-6, in -> dev.cortado.tensor.Volumes.maxPool3d(in[0], new int[] {2, 3, 2},
                new int[] {2, 2, 1}, new int[] {1, 1, 0}, ones, true), randn(88, REF, 2, 2, 5, 6, 4));
        Inputs.assertGradParity("avg_pool3d", device(), 1e-5, in -> dev.cortado.tensor.Volumes.avgPool3d(in[0], new int[] {3, 2, 2},
                new int[] {2, 2, 2}, new int[] {1, 1, 1}, true, false), randn(89, REF, 2, 2, 5, 6, 4));
        Inputs.assertGradParity("addmm", device(), 1e-5, in -> in[0].addmm(in[1], in[2], 0.5, -2), randn(194, REF, 3, 1), randn(195, REF, 3, 4),
                randn(196, REF, 4, 5));
        Inputs.assertGradParity("kron and rot90", device(), 1e-6, in -> in[0].kron(in[1]).rot90(-1, 0, 1), randn(197, REF, 2, 3), randn(198, REF, 2, 2));
        Inputs.assertGradParity("xlogy and nansum", device(), 1e-5, in -> in[0].xlogy(in[1].abs().add(0.5)).nansum(new int[] {1}, false),
                randn(199, REF, 3, 4), randn(200, REF, 4));
        Inputs.assertGradParity("cummax and cummin", device(), 1e-6, in -> in[0].cummax(1).values().mul(in[0].cummin(0).values()),
                randn(201, REF, 5, 19));
        Inputs.assertGradParity("logcumsumexp", device(), 1e-5, in -> in[0].logcumsumexp(1), randn(202, REF, 3, 33).mul(5));
        float[] sorted = new float[20];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i * 0.5f - 4;
        }
        same("searchsorted", 0, in -> Tensor.searchsorted(in[0], in[1], true), Tensor.fromArray(sorted, new int[] {20}, REF),
                randn(84, REF, 3, 4).mul(4));
        same("nan_to_num", 0, in -> in[0].div(in[1]).nanToNum(), randn(85, REF, 16), Tensor.fromArray(new float[16], new int[] {16}, REF));
    }

    /** Views of one tensor add their gradients into one buffer through strided in-place adds on the backend. */
    @Test
    void gradientsOfManyViewsOfOneTensorAddUp() {
        Inputs.assertGradParity("time steps and gates", device(), 1e-6, in -> {
            Tensor xp = in[0].mul(in[0]);
            Tensor total = xp.narrow(2, 0, 4).sigmoid().sum();
            for (int t = 0; t < xp.size(0); t++) {
                Tensor step = xp.select(0, t);
                total = total.add(step.narrow(1, 2, 5).tanh().mul(step.narrow(1, 0, 5)).sum()).add(step.slice(1, 1, 8, 3).sum());
            }
            return total.add(xp.transpose(0, 1).select(0, 1).sum());
        }, randn(190, REF, 6, 3, 8));
    }

    private static Tensor conv1d(Tensor x, Tensor w) {
        return dev.cortado.tensor.Convolution.conv1d(x, w, null, dev.cortado.tensor.ConvOptions.DEFAULT.stride(2).padding(1).groups(2));
    }

    @Test
    void comparisonsTreatSignedZerosAsEqual() {
        Tensor a = Tensor.fromArray(new float[] {-0f, 0f, -0f, 0f}, new int[] {4}, REF);
        Tensor b = Tensor.fromArray(new float[] {0f, -0f, -0f, 0f}, new int[] {4}, REF);
        same("eq", 0, in -> in[0].eq(in[1]), a, b);
        same("lt", 0, in -> in[0].lt(in[1]), a, b);
        same("gt", 0, in -> in[0].gt(in[1]), a, b);
        same("le", 0, in -> in[0].le(in[1]), a, b);
        assertEquals(4, a.eq(b).sum().item(), 0, "-0.0 == 0.0 on the reference, as in IEEE arithmetic");
        assertEquals(0, a.lt(b).sum().item(), 0);
    }

    @Test
    void powShortcutExponentsKeepPyTorchsSignsAtZerosAndInfinities() {
        Tensor x = Tensor.fromArray(new float[] {-0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -4, 2.5f, Float.NaN}, new int[] {7}, REF);
        Tensor pos = uniform(5, 0.01, 5, REF, 1000);
        for (double e : new double[] {3, 0.5, -0.5, -1, -2}) {
            same("pow " + e, TOL, in -> in[0].pow(e), pos);
            // Through 1 / y, so that a zero of the wrong sign shows as an infinity of the wrong sign.
            same("1 / pow " + e + " at signed zeros and infinities", TOL, in -> {
                Tensor y = in[0].pow(e);
                return Tensor.ones(y.shape(), y.dtype(), y.device()).div(y);
            }, x);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 15, 16, 17, 33, 1000, 70001})
    void unaryOpsOnOddSizes(int n) {
        Tensor x = randn(n, REF, n);
        Tensor pos = uniform(n, 0.01, 5, REF, n);
        same("neg", 0, in -> in[0].neg(), x);
        same("abs", 0, in -> in[0].abs(), x);
        same("sign", 0, in -> in[0].sign(), x);
        same("relu", 0, in -> in[0].relu(), x);
        same("relu_ in place", 0, in -> in[0].mul(1).relu_(), x);
        same("relu_ in place on a flipped view", 0, in -> {
            Tensor t = in[0].mul(1);
            t.flip(0).relu_();
            return t;
        }, x);
        // Its backward is one fused op with PyTorch's branches: no gradient at exact zeros, and NaN passes it (threshold_backward).
        float[] v = x.toFloatArray();
        for (int i = 0; i < n; i += 3) {
            v[i] = i % 2 == 0 ? 0f : Float.NaN;
        }
        Inputs.assertGradParity("relu gradient", device(), 0, in -> in[0].relu(), Tensor.fromArray(v, new int[] {n}, REF));
        same("leakyRelu", TOL, in -> in[0].leakyRelu(0.01), x);
        same("clamp", 0, in -> in[0].clamp(-0.5, 0.75), x);
        same("exp", TOL, in -> in[0].exp(), x);
        same("sigmoid", TOL, in -> in[0].sigmoid(), x);
        same("tanh", TOL, in -> in[0].tanh(), x);
        same("log", TOL, in -> in[0].log(), pos);
        same("sqrt", TOL, in -> in[0].sqrt(), pos);
        same("pow", TOL, in -> in[0].pow(1.7), pos);
        same("pow2", TOL, in -> in[0].pow(2), x);
        same("erf", TOL, in -> in[0].erf(), x.mul(1.5));
        // GELU as one kernel each way (its backward a binary op of the gradient and the input); the tails reach erf's 1 and exp's 0.
        Inputs.assertGradParity("gelu", device(), TOL, in -> dev.cortado.tensor.FusedActivations.gelu(in[0]), x.mul(4));
        // SiLU likewise; its tails reach exp's overflow (below about -88 the result is -0 and the gradient 0).
        Inputs.assertGradParity("silu", device(), TOL, in -> dev.cortado.tensor.FusedActivations.silu(in[0]), x.mul(40));
        // Hardswish, with values on both kinks (±3), where PyTorch takes the middle piece's slope.
        float[] kinks = x.mul(3).toFloatArray();
        for (int i = 0; i < n; i += 5) {
            kinks[i] = i % 2 == 0 ? 3f : -3f;
        }
        Inputs.assertGradParity("hardswish", device(), TOL, in -> dev.cortado.tensor.FusedActivations.hardswish(in[0]),
                Tensor.fromArray(kinks, new int[] {n}, REF));
        same("expm1", TOL, in -> in[0].expm1(), x.mul(1e-3));
        same("log1p", TOL, in -> in[0].log1p(), pos.sub(0.995));
        // Scaled so that many values sit on halves, where round goes to even.
        Tensor halves = x.mul(4).round().div(2);
        same("floor", 0, in -> in[0].floor(), x.mul(3));
        same("ceil", 0, in -> in[0].ceil(), x.mul(3));
        same("round", 0, in -> in[0].round(), halves);
        same("trunc", 0, in -> in[0].trunc(), x.mul(3));
        same("sin", TOL, in -> in[0].sin(), x.mul(4));
        same("cos", TOL, in -> in[0].cos(), x.mul(4));
        Tensor unit = x.tanh().mul(0.99);
        same("tan", TOL, in -> in[0].tan(), x);
        same("asin", TOL, in -> in[0].asin(), unit);
        same("acos", TOL, in -> in[0].acos(), unit);
        same("atan", TOL, in -> in[0].atan(), x.mul(4));
        same("sinh", TOL, in -> in[0].sinh(), x.mul(2));
        same("cosh", TOL, in -> in[0].cosh(), x.mul(2));
        same("asinh", TOL, in -> in[0].asinh(), x.mul(4));
        same("acosh", TOL, in -> in[0].acosh(), pos.add(1));
        same("atanh", TOL, in -> in[0].atanh(), unit);
        same("exp2", TOL, in -> in[0].exp2(), x.mul(4));
        same("log2", TOL, in -> in[0].log2(), pos);
        same("log10", TOL, in -> in[0].log10(), pos);
        same("erfc", TOL, in -> in[0].erfc(), x.mul(1.5));
        same("lgamma", TOL, in -> in[0].lgamma(), x.mul(4));
        same("digamma", TOL, in -> in[0].digamma(), x.mul(4));
        same("polygamma 1 and 3", 1e-5, in -> in[0].polygamma(1).add(in[0].polygamma(3)), pos);
        same("erfinv", TOL, in -> in[0].erfinv(), unit);
    }

    /** Statistics composed from the primitives, with PyTorch's float32 bits where its steps round (quantile's rank 0.9f · 6 = 5.3999996). */
    @Test
    void statisticsAgree() {
        Tensor x = Tensor.fromArray(new float[] {3, 1, 4, 1, 5, 9, 2, 6, Float.NaN, 3, 5, 8, 9, 7}, new int[] {2, 7}, device());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {6.599998474121094f, Float.NaN}, x.quantile(0.9, 1, false).toFloatArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {6.599998474121094f, 8.5f}, x.nanquantile(0.9, 1, false).toFloatArray());
        // Within an ulp: the product's sum is the backend's GEMM, whose FMAs and order are its own.
        org.junit.jupiter.api.Assertions.assertEquals(2.3333332538604736,
                Tensor.fromArray(new float[] {1, 2, 4}, new int[] {3}, device()).cov().item(), 3e-7);
        Tensor q = Tensor.fromArray(new float[] {0.1f, 0.5f, 0.95f}, new int[] {3}, REF);
        Inputs.assertGradParity("quantile", device(), 1e-6, in -> in[0].quantile(q.to(in[0].device()), 1, true, "linear"), randn(203, REF, 4, 9));
        Inputs.assertGradParity("cov and corrcoef", device(), 1e-5, in -> in[0].cov().add(in[0].corrcoef()), randn(204, REF, 3, 8));
        Inputs.assertGradParity("tensordot", device(), 1e-5, in -> Tensor.tensordot(in[0], in[1], new int[] {1, 2}, new int[] {1, 0}),
                randn(205, REF, 2, 3, 4), randn(206, REF, 4, 3, 5));
        Inputs.assertGradParity("fmax, fmin and trapezoid", device(), 1e-6, in -> in[0].fmax(in[1]).sub(in[0].fmin(in[1])).trapezoid(0.5, 1),
                randn(207, REF, 3, 6), randn(208, REF, 6));
        Inputs.assertGradParity("prod, diff and logaddexp", device(), 1e-5, in -> in[0].prod(1, true).logaddexp(in[0].diff(1, 1)),
                randn(209, REF, 4, 7));
        Inputs.assertGradParity("cross, take_along_dim and repeat_interleave", device(), 1e-6, in -> in[0].cross(in[1], 1)
                .takeAlongDim(Tensor.fromArray(new long[] {2, 0, 1, 1}, new int[] {1, 4}, in[0].device()), 1).repeatInterleave(2, 0),
                randn(210, REF, 5, 3), randn(211, REF, 5, 3));
        Inputs.assertGradParity("in-place twins on a view", device(), 1e-6, in -> {
            Tensor y = in[0].mul(1);
            y.narrow(1, 1, 3).sin_().clamp_(-0.5, 0.5);
            return y.maskedFill_(y.gt(0.4), 0);
        }, randn(212, REF, 3, 5));
        Tensor eye = Tensor.fromArray(new float[] {3, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3}, new int[] {4, 4}, REF);
        Inputs.assertGradParity("inverse, det and solve", device(), 1e-5, in -> {
            Tensor m = in[0].add(eye.to(in[0].device()));
            return Tensor.solve(m, in[1]).add(m.inverse().sum(new int[] {-1}, true)).mul(m.det().reshape(2, 1, 1));
        }, randn(213, REF, 2, 4, 4), randn(214, REF, 2, 4, 3));
        Inputs.assertGradParity("cholesky, eigh and solve_triangular", device(), 1e-4, in -> {
            Tensor m = in[0].matmul(in[0].mT()).add(eye.to(in[0].device()));
            Tensor l = dev.cortado.tensor.Linalg.cholesky(m);
            dev.cortado.tensor.Linalg.Eigh e = dev.cortado.tensor.Linalg.eigh(m);
            return dev.cortado.tensor.Linalg.solveTriangular(l, in[1], false, true, false).add(e.eigenvectors().square().sum(new int[] {-1}, true))
                    .mul(e.eigenvalues().unsqueeze(-1));
        }, randn(217, REF, 2, 4, 4), randn(218, REF, 2, 4, 3));
        Inputs.assertGradParity("svd, qr and pinv", device(), 1e-4, in -> {
            dev.cortado.tensor.Linalg.Svd f = dev.cortado.tensor.Linalg.svd(in[0], false);
            dev.cortado.tensor.Linalg.Qr qr = dev.cortado.tensor.Linalg.qr(in[0]);
            return f.U().square().mul(f.S().unsqueeze(-2)).add(qr.Q()).matmul(qr.R()).add(dev.cortado.tensor.Linalg.pinv(in[0]).mT());
        }, randn(219, REF, 2, 5, 3));
        Inputs.assertGradParity("nanmedian, sinc and index_copy", device(), 1e-6, in -> in[0].sinc()
                .indexCopy(0, Tensor.fromArray(new long[] {2, 0}, new int[] {2}, in[0].device()), in[1]).nanmedian(1, false).values(),
                randn(215, REF, 4, 7), randn(216, REF, 2, 7));
        Tensor sample = Tensor.fromArray(new float[] {3, 1, Float.NaN, 3, 2, 0.5f, 2, 4}, new int[] {8}, device());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0.5f, 1, 2, 3, 4, Float.NaN}, sample.unique().values().toFloatArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 1, 2, 3}, sample.histc(4, 0, 4).toFloatArray());
    }

    /** The inverse, hyperbolic and base-2 and -10 functions and erfc at their edges, with PyTorch's values and gradients. */
    @Test
    void mathFunctionsMatchPyTorch() {
        MathFunctionCases.check(device());
        MathFunctionCases.special(device());
    }

    /** PyTorch's sign gives +0 for both zeros and NaN; its relu turns only negatives into 0, so -0.0 and NaN pass. Bits, on long rows too. */
    @Test
    void signAndReluOfZerosAndNaN() {
        float[] v = new float[37];
        float[] sign = new float[37];
        float[] relu = new float[37];
        float[] special = {-0.0f, 0.0f, Float.NaN, -2.5f, 3f, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < v.length; i++) {
            v[i] = special[i % special.length];
            sign[i] = v[i] > 0 ? 1f : v[i] < 0 ? -1f : 0f;
            relu[i] = v[i] < 0 ? 0f : v[i];
        }
        Tensor x = Tensor.fromArray(v, new int[] {37}, device());
        assertBits("sign", Tensor.fromArray(sign, new int[] {37}, REF), x.sign());
        assertBits("relu", Tensor.fromArray(relu, new int[] {37}, REF), x.relu());
        assertBits("relu of a strided view", Tensor.fromArray(relu, new int[] {37}, REF).flip(0), x.flip(0).relu());
    }

    /** sigmoid as PyTorch's float formula gives it, 1 / (1 + exp(-x)): 0 once exp(-x) overflows, not a subnormal. */
    @Test
    void sigmoidOfLargeNegativeInputsIsZero() {
        Tensor x = Tensor.fromArray(new float[] {-100, -90, -89, 100, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, new int[] {6}, device());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 0, 1, 0, 1}, x.sigmoid().toFloatArray());
        double small = Tensor.fromArray(new float[] {-87}, new int[] {1}, device()).sigmoid().item();
        org.junit.jupiter.api.Assertions.assertTrue(small > 1e-38 && small < 2e-38, "exp(87) is still a float: sigmoid(-87) is 1.65e-38, got " + small);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 33, 1000})
    void binaryOpsWithBroadcastAndViews(int n) {
        Tensor a = randn(1, REF, 3, n);
        Tensor b = randn(2, REF, 3, n);
        Tensor row = randn(3, REF, n);
        Tensor col = randn(4, REF, 3, 1);
        Tensor pos = uniform(5, 0.5, 2, REF, 3, n);
        same("add", TOL, in -> in[0].add(in[1]), a, b);
        same("sub row", TOL, in -> in[0].sub(in[1]), a, row);
        same("mul col", TOL, in -> in[0].mul(in[1]), a, col);
        same("div", TOL, in -> in[0].div(in[1]), a, pos);
        same("pow", TOL, in -> in[0].pow(in[1]), pos, b);
        same("scalar", TOL, in -> in[0].mul(2.5).add(1).rsub(3).div(7), a);
        same("outer broadcast", TOL, in -> in[0].add(in[1]), col, row);
        same("transposed", TOL, in -> in[0].t().mul(in[1].t()), a, b);
        same("flipped", TOL, in -> in[0].flip(1).sub(in[1]), a, b);
        same("sliced", TOL, in -> in[0].slice(1, 0, n, 2).add(in[1].slice(1, 0, n, 2)), a, b);
        for (String cmp : new String[] {"eq", "ne", "gt", "lt", "ge", "le"}) {
            same(cmp, 0, in -> switch (cmp) {
                case "eq" -> in[0].eq(in[0].mul(in[1].gt(0)));
                case "ne" -> in[0].ne(in[1]);
                case "gt" -> in[0].gt(in[1]);
                case "lt" -> in[0].lt(in[1]);
                case "ge" -> in[0].ge(in[1]);
                default -> in[0].le(in[1]);
            }, a, row);
        }
        same("where", 0, in -> Tensor.where(in[0].gt(0), in[0], in[1]), a, col);
        Tensor wide = randn(6, REF, 3, n).mul(8);
        same("fmod", 0, in -> in[0].fmod(in[1]), wide, b);
        same("remainder of a transposed view", TOL, in -> in[0].t().remainder(in[1].t()), wide, b);
        same("floor division by a row", 0, in -> in[0].div(in[1], "floor"), wide, row);
        same("trunc division by a column", 0, in -> in[0].div(in[1], "trunc"), wide, col);
        same("atan2", TOL, in -> in[0].atan2(in[1]), a, b);
        same("hypot of a flipped view", TOL, in -> in[0].flip(1).hypot(in[1]), a, b);
    }

    /** fmod, remainder, floor and trunc division and atan2 and hypot at their edges, with the values and gradients PyTorch gives. */
    @Test
    void roundingDivisionsAndAnglesMatchPyTorch() {
        DivisionCases.check(device());
    }

    /**
     * A scalar operand goes to the backend as a number ({@code binaryScalar}); the result must
     * have the bits of the same op against a tensor filled with it, on views too, and match the
     * reference.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 17, 1000})
    void scalarOperandsGiveTheBitsOfAFilledTensor(int n) {
        Tensor a = randn(41, device(), n, 3).t();
        for (double s : new double[] {0.1, -3, 0, 2.5, Double.NaN}) {
            Tensor filled = Tensor.full(new int[0], s, DType.FLOAT32, device());
            assertBits("add " + s, a.add(filled), a.add(s));
            assertBits("sub " + s, a.sub(filled), a.sub(s));
            assertBits("mul " + s, a.mul(filled), a.mul(s));
            assertBits("div " + s, a.div(filled), a.div(s));
            assertBits("eq " + s, a.eq(filled), a.eq(s));
            assertBits("ne " + s, a.ne(filled), a.ne(s));
            assertBits("gt " + s, a.gt(filled), a.gt(s));
            assertBits("lt " + s, a.lt(filled), a.lt(s));
            assertBits("ge " + s, a.ge(filled), a.ge(s));
            assertBits("le " + s, a.le(filled), a.le(s));
            // A scalar first (rsub, 1 / x through a 0-dim tensor): the bits of a tensor filled with it.
            Tensor full = Tensor.full(a.shape(), s, DType.FLOAT32, device());
            for (Tensor b : new Tensor[] {a, a.mul(1)}) {
                String layout = b == a ? " (transposed)" : " (contiguous)";
                assertBits("rsub " + s + layout, full.sub(b), b.rsub(s));
                assertBits(s + " / b" + layout, full.div(b), filled.div(b));
                assertBits(s + " + b" + layout, full.add(b), filled.add(b));
                assertBits(s + " * b" + layout, full.mul(b), filled.mul(b));
            }
            Tensor inPlace = a.mul(1);
            inPlace.t().mul_(s);
            assertBits("mul_ " + s + " on a transposed view", a.mul(filled), inPlace);
            inPlace = a.mul(1);
            inPlace.add_(s);
            assertBits("add_ " + s, a.add(filled), inPlace);
        }
        same("scalar chain", TOL, in -> in[0].t().mul(0.9).add(0.1).sub(2).div(3).gt(-0.5), randn(42, REF, n, 3));
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = 7L * i - 20;
        }
        Tensor ints = Tensor.fromArray(v, new int[] {n}, REF);
        same("int64 add, sub, mul by integral scalars", 0, in -> in[0].add(3).sub(-2).mul(-4), ints);
        same("int64 compared with scalars", 0, in -> in[0].eq(1).add(in[0].gt(5)).add(in[0].le(-6)), ints);
        same("int64 by a fraction, and divided", 0, in -> in[0].mul(0.5).add(in[0].div(4)), ints);
        same("int64 add_ in place", 0, in -> in[0].mul(1).add_(1), ints);
        same("int64 remainder, fmod and rounded divisions by integral scalars", 0,
                in -> in[0].remainder(-3).add(in[0].fmod(3)).add(in[0].div(-4, "floor")).add(in[0].div(4, "trunc")), ints);
        assertEquals(DType.INT64, ints.to(device()).add(2).dtype());
        assertEquals(DType.FLOAT32, ints.to(device()).add(2.5).dtype());
    }

    /**
     * Tensors without elements through each kind of op, forward and backward, as PyTorch gives
     * them: empty results, sums of nothing (0), means of nothing (NaN), products over k = 0 (zeros).
     * A GPU must launch nothing for them (a grid of 0 blocks is an error) and still write the zeros.
     */
    @Test
    void tensorsWithoutElements() {
        Tensor rows0 = randn(70, REF, 0, 5);
        Tensor cols0 = randn(71, REF, 4, 0);
        Tensor row = randn(72, REF, 5);
        Tensor noLabels = Tensor.fromArray(new long[0], new int[] {0}, REF);
        Inputs.assertGradParity("relu and exp of (0, 5)", device(), 0, in -> in[0].relu().exp(), rows0);
        Inputs.assertGradParity("(0, 5) + (5,)", device(), 0, in -> in[0].add(in[1]).mul(2.5), rows0, row);
        same("where over (0, 5)", 0, in -> Tensor.where(in[0].gt(0), in[0], in[1]), rows0, row);
        same("int64 of (0,)", 0, in -> in[0].add(3).mul(2), noLabels);
        same("a transposed (0, 5) made contiguous", 0, in -> in[0].t().contiguous(), rows0);
        Inputs.assertGradParity("sum over a dim of size 0", device(), 0, in -> in[0].sum(0), rows0);
        Inputs.assertGradParity("sum of (4, 0)", device(), 0, in -> in[0].sum().reshape(1), cols0);
        same("sum along the other dim of (0, 5)", 0, in -> in[0].sum(1), rows0);
        // An output without elements (the kept dim has size 0) reaches no kernel.
        Inputs.assertGradParity("sum over the rows of (4, 0)", device(), 0, in -> in[0].sum(0), cols0);
        same("mean and var over the rows of (4, 0)", 0, in -> in[0].mean(0).add(in[0].var(new int[] {0}, true, false)), cols0);
        same("max over the rows of (4, 0)", 0, in -> in[0].max(0, false).values(), cols0);
        same("mean over a dim of size 0", 0, in -> in[0].mean(0), rows0);
        Inputs.assertGradParity("softmax of (0, 5)", device(), 0, in -> in[0].softmax(1), rows0);
        Inputs.assertGradParity("log_softmax of (4, 0)", device(), 0, in -> in[0].logSoftmax(1), cols0);
        Inputs.assertGradParity("(0, 5) @ (5, 3)", device(), 0, in -> in[0].matmul(in[1]), rows0, randn(73, REF, 5, 3));
        Inputs.assertGradParity("(4, 0) @ (0, 3)", device(), 0, in -> in[0].matmul(in[1]), cols0, randn(74, REF, 0, 3));
        Inputs.assertGradParity("cat of (0, 5) and (2, 5)", device(), 0, in -> Tensor.cat(List.of(in[0], in[1]), 0), rows0,
                randn(75, REF, 2, 5));
        same("nll_loss of an empty batch", 0, in -> dev.cortado.tensor.Classification.nllLoss(in[0].logSoftmax(1), in[1], null, -100)[0],
                rows0, noLabels);
    }

    /**
     * Views of many dims that no two of merge (a 10-dim tensor with its dims reversed): every op
     * still works, its own copy to a contiguous tensor included, as on the CPU, and so do
     * reductions and softmax that keep nine of those dims, forward and backward.
     */
    @Test
    void viewsOfManyDimsThatDoNotMerge() {
        int[] ten = {2, 3, 2, 2, 3, 2, 2, 2, 3, 2};
        int[] reversed = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        Tensor x = randn(77, REF, ten);
        Tensor y = randn(78, REF, ten);
        same("contiguous copy", 0, in -> in[0].permute(reversed).contiguous(), x);
        Inputs.assertGradParity("unary and binary", device(), TOL, in -> in[0].permute(reversed).relu().mul(in[1].permute(reversed)).add(1.5),
                x, y);
        same("int64 copy of the view", 0, in -> in[0].permute(reversed).to(DType.INT64), x.mul(10));
        same("where", 0, in -> Tensor.where(in[0].permute(reversed).gt(0), in[0].permute(reversed), in[1].permute(reversed)), x, y);
        same("sum of everything", TOL, in -> in[0].permute(reversed).sum().reshape(1), x);
        same("sum over two dims", TOL, in -> in[0].permute(reversed).sum(1, 7), x);
        same("max along a dim", 0, in -> in[0].permute(reversed).max(4, false).values(), x);
        same("argmax along a dim", 0, in -> in[0].permute(reversed).argmax(2, false), x);
        Inputs.assertGradParity("batched matmul", device(), TOL,
                in -> in[0].permute(reversed).matmul(in[1].permute(reversed).transpose(8, 9)), x, y);
        // Permuted back, the gradient reaching softmax's backward is a view of ten dims as well.
        Inputs.assertGradParity("softmax", device(), TOL, in -> in[0].permute(reversed).softmax(3).permute(reversed), x);
        same("fill of the view", 0, in -> {
            Tensor t = in[0].mul(1);
            t.permute(reversed).fill_(2.5);
            return t;
        }, x);
    }

    /**
     * Reductions over alternate dims of a 17-dim tensor, whose reduced dims (or kept dims) are
     * nine separate runs of memory even in a contiguous tensor: as on the CPU, forward and
     * backward, keepdim or not, float and int64, and through a view with its dims reversed.
     */
    @Test
    void reductionsOverAlternateDimsOfManyDims() {
        int[] shape = new int[17];
        java.util.Arrays.fill(shape, 2);
        int[] even = {0, 2, 4, 6, 8, 10, 12, 14, 16};
        int[] odd = {1, 3, 5, 7, 9, 11, 13, 15};
        int[] reversed = new int[17];
        for (int d = 0; d < 17; d++) {
            reversed[d] = 16 - d;
        }
        Tensor x = randn(79, REF, shape);
        Inputs.assertGradParity("sum over the nine even dims", device(), TOL, in -> in[0].sum(even), x);
        Inputs.assertGradParity("mean over the eight odd dims, keepdim", device(), TOL, in -> in[0].mean(odd, true), x);
        same("int64 sum over the even dims", 0, in -> in[0].sum(even, true), x.mul(10).to(DType.INT64));
        same("sum over the even dims of the reversed view", TOL, in -> in[0].permute(reversed).sum(even), x);
    }

    /**
     * Softmax and log-softmax along rows long enough for whole vectors and a tail (17, 37, an
     * attention layer's 197), with masked (-inf) entries, and PyTorch's NaN rows: one holding
     * +inf, one holding a NaN, one all -inf.
     */
    @Test
    void softmaxOfLongRowsAndOfNonFiniteRows() {
        for (int len : new int[] {17, 37, 197}) {
            float[] v = randn(120 + len, REF, 6, len).mul(4).toFloatArray();
            for (int j = 3; j < len; j += 5) {
                v[len + j] = Float.NEGATIVE_INFINITY;
            }
            v[2 * len + 1] = Float.POSITIVE_INFINITY;
            v[3 * len + len - 1] = Float.NaN;
            java.util.Arrays.fill(v, 4 * len, 5 * len, Float.NEGATIVE_INFINITY);
            Tensor x = Tensor.fromArray(v, new int[] {6, len}, REF);
            same("softmax of rows of " + len, 1e-6, in -> in[0].softmax(1), x);
            same("log_softmax of rows of " + len, 1e-6, in -> in[0].logSoftmax(1), x);
            float[] got = x.to(device()).softmax(1).toFloatArray();
            for (int row : new int[] {2, 3, 4}) {
                for (int j = 0; j < len; j++) {
                    assertTrue(Float.isNaN(got[row * len + j]), "softmax row " + row + " of " + len + " is NaN throughout, as PyTorch's");
                }
            }
        }
    }

    /** 0-dim tensors, as PyTorch treats them: broadcast against anything, reduced along dim 0 or -1, softmax 1. */
    @Test
    void zeroDimTensors() {
        Tensor s = Tensor.fromArray(new float[] {1.5f}, new int[] {}, REF);
        Tensor t = Tensor.fromArray(new float[] {-0.25f}, new int[] {}, REF);
        Tensor v = randn(76, REF, 3);
        Inputs.assertGradParity("0-dim * (3,)", device(), TOL, in -> in[0].mul(in[1]).add(in[0]), s, v);
        Inputs.assertGradParity("0-dim exp, 0-dim / 0-dim", device(), TOL, in -> in[0].exp().div(in[1]), s, t);
        Inputs.assertGradParity("sum of a 0-dim tensor along dim 0", device(), 0, in -> in[0].sum(0), s);
        Inputs.assertGradParity("mean of a 0-dim tensor along dim -1", device(), 0, in -> in[0].mean(-1), s);
        Inputs.assertGradParity("softmax of a 0-dim tensor", device(), 0, in -> in[0].softmax(0), s);
        Inputs.assertGradParity("log_softmax of a 0-dim tensor", device(), 0, in -> in[0].logSoftmax(-1), s);
        same("max of a 0-dim tensor", 0, in -> in[0].max(), s);
        same("argmax of a 0-dim tensor along dim 0", 0, in -> in[0].argmax(0, false), s);
        same("where with 0-dim operands", 0, in -> Tensor.where(in[2].gt(0), in[0], in[1]), s, t, v);
        same("a 0-dim tensor made (1, 1) and expanded", 0, in -> in[0].reshape(1, 1).expand(2, 3).contiguous(), s);
    }

    /** nll_loss's per-row values, total weight and gradient, with and without weights and ignored rows. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33})
    void nllLossPerRowAndItsGradient(int n) {
        int c = n == 7 ? 10 : 3;
        long[] targets = new long[n];
        for (int i = 0; i < n; i++) {
            targets[i] = i % 4 == 3 ? -100 : (i * 7L) % c;
        }
        Tensor t = Tensor.fromArray(targets, new int[] {n}, REF);
        Tensor ignoreOne = Tensor.fromArray(java.util.Arrays.stream(targets).map(v -> v < 0 ? 1 : v).toArray(), new int[] {n}, REF);
        Tensor x = randn(43, REF, n, c);
        Tensor w = uniform(44, 0.5, 2, REF, c);
        for (Tensor weight : new Tensor[] {null, w}) {
            for (long ignore : new long[] {-100, 1}) {
                Tensor targ = ignore == -100 ? t : ignoreOne;
                String what = "nll_loss (weight " + (weight != null) + ", ignore " + ignore + ")";
                Inputs.assertGradParity(what, device(), TOL, in -> dev.cortado.tensor.Classification.nllLoss(in[0].logSoftmax(1),
                        targ.to(in[0].device()), weight == null ? null : weight.to(in[0].device()), ignore)[0], x);
                Inputs.assertSecondOrderParity(what, device(), 1e-5, in -> dev.cortado.tensor.Classification.nllLoss(in[0].logSoftmax(1),
                        targ.to(in[0].device()), weight == null ? null : weight.to(in[0].device()), ignore)[0], x);
                same(what + " total", TOL, in -> dev.cortado.tensor.Classification.nllLoss(in[0].logSoftmax(1), in[1],
                        weight == null ? null : weight.to(in[0].device()), ignore)[1], x, targ);
            }
        }
        // A broadcast gradient (from a sum) reaches the backward pass with stride 0.
        Inputs.assertGradParity("nll_loss summed", device(), TOL,
                in -> dev.cortado.tensor.Classification.nllLoss(in[0].logSoftmax(1), t.to(in[0].device()), null, -100)[0].sum().reshape(1), x);
    }

    /**
     * Seeded random chains of views (permute, narrow, flip, expand, select, stepped slices) of
     * 1- to 5-dim tensors, each followed by one op: elementwise with a broadcast partner, sum or
     * mean over random dims, softmax and log-softmax along a dim, max(dim), where, contiguous.
     * Forward and gradients against the reference.
     */
    @Test
    void randomViewChainsMatchTheReference() {
        java.util.Random r = new java.util.Random(20261202);
        for (int round = 0; round < 120; round++) {
            int[] shape = new int[1 + r.nextInt(5)];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = 1 + r.nextInt(4);
            }
            List<Function<Tensor, Tensor>> steps = new java.util.ArrayList<>();
            int[] s = shape.clone();
            for (int k = r.nextInt(4); k > 0; k--) {
                int d = r.nextInt(s.length);
                int size = s[d];
                switch (r.nextInt(6)) {
                    case 0 -> {
                        int[] perm = shuffled(s.length, r);
                        steps.add(t -> t.permute(perm));
                        int[] ns = new int[s.length];
                        for (int j = 0; j < s.length; j++) {
                            ns[j] = s[perm[j]];
                        }
                        s = ns;
                    }
                    case 1 -> {
                        if (size > 1) {
                            int start = r.nextInt(size);
                            int len = 1 + r.nextInt(size - start);
                            steps.add(t -> t.narrow(d, start, len));
                            s[d] = len;
                        }
                    }
                    case 2 -> steps.add(t -> t.flip(d));
                    case 3 -> {
                        if (size == 1) {
                            s[d] = 1 + r.nextInt(3);
                            int[] to = s.clone();
                            steps.add(t -> t.expand(to));
                        }
                    }
                    case 4 -> {
                        if (s.length > 1 && size > 1) {
                            int index = r.nextInt(size);
                            steps.add(t -> t.select(d, index));
                            int[] ns = new int[s.length - 1];
                            for (int j = 0, q = 0; j < s.length; j++) {
                                if (j != d) {
                                    ns[q++] = s[j];
                                }
                            }
                            s = ns;
                        }
                    }
                    default -> {
                        if (size > 2) {
                            int step = 2 + r.nextInt(2);
                            steps.add(t -> t.slice(d, 0, size, step));
                            s[d] = (size + step - 1) / step;
                        }
                    }
                }
            }
            Function<Tensor, Tensor> view = t -> {
                for (Function<Tensor, Tensor> f : steps) {
                    t = f.apply(t);
                }
                return t;
            };
            int[] vs = s;
            int[] partnerShape = java.util.Arrays.copyOfRange(vs, r.nextInt(Math.min(2, vs.length) + 1) % (vs.length + 1), vs.length);
            for (int i = 0; i < partnerShape.length; i++) {
                partnerShape[i] = r.nextInt(3) == 0 ? 1 : partnerShape[i];
            }
            int dim = r.nextInt(vs.length) - (r.nextBoolean() ? vs.length : 0);
            int[] dims = randomDims(vs.length, r);
            boolean keepdim = r.nextBoolean();
            int op = r.nextInt(9);
            Function<Tensor[], Tensor> f = switch (op) {
                case 0 -> in -> view.apply(in[0]).exp().mul(in[1]);
                case 1 -> in -> view.apply(in[0]).add(in[1]).relu();
                case 2 -> in -> view.apply(in[0]).sum(dims, keepdim).mul(in[1].sum());
                case 3 -> in -> view.apply(in[0]).softmax(dim).mul(in[1]);
                case 4 -> in -> view.apply(in[0]).logSoftmax(dim).sub(in[1]);
                case 5 -> in -> view.apply(in[0]).contiguous().mul(in[1]);
                case 6 -> in -> view.apply(in[0]).max(dim, keepdim).values().add(in[1].mean());
                case 7 -> in -> Tensor.where(view.apply(in[0]).gt(in[1]), view.apply(in[0]), in[1].mul(2));
                default -> in -> view.apply(in[0]).mean(dims, keepdim).add(in[1].max());
            };
            Inputs.assertGradParity("op " + op + " on a view " + java.util.Arrays.toString(vs) + " of " + java.util.Arrays.toString(shape),
                    device(), TOL, f, randn(400 + round, REF, shape), randn(500 + round, REF, partnerShape));
        }
    }

    private static int[] shuffled(int n, java.util.Random r) {
        List<Integer> l = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        java.util.Collections.shuffle(l, r);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] randomDims(int n, java.util.Random r) {
        List<Integer> l = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (r.nextBoolean()) {
                l.add(i);
            }
        }
        if (l.isEmpty()) {
            l.add(n - 1);
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * As in PyTorch: a -inf log-probability outside the target's column (a masked logit) leaves
     * the row's loss finite, and an infinite gradient of the losses (a mean over no rows) leaves
     * ignored rows and the other columns at exactly 0, with or without weights.
     */
    @Test
    void nllLossOfMaskedLogitsAndOfAnInfiniteGradient() {
        float inf = Float.POSITIVE_INFINITY;
        Tensor logp = Tensor.fromArray(new float[] {-inf, -1.5f, -0.25f, -0.5f, -inf, -2f, -inf, -inf, -inf}, new int[] {3, 3}, REF);
        Tensor t = Tensor.fromArray(new long[] {1, 0, -100}, new int[] {3}, REF);
        Tensor w = Tensor.fromArray(new float[] {2, 0.5f, 3}, new int[] {3}, REF);
        for (Tensor weight : new Tensor[] {null, w}) {
            String what = "nll_loss of masked log-probabilities (weight " + (weight != null) + ")";
            Function<Tensor[], Tensor> loss = in -> dev.cortado.tensor.Classification.nllLoss(in[0], t.to(in[0].device()),
                    weight == null ? null : weight.to(in[0].device()), -100)[0];
            Inputs.assertGradParity(what, device(), 0, loss, logp);
            Inputs.assertGradParity(what + " times inf", device(), 0, in -> loss.apply(in).mul(inf), logp);

            Tensor x = logp.to(device()).requiresGrad_(true);
            Tensor perRow = loss.apply(new Tensor[] {x});
            float a = weight == null ? 1 : 0.5f;
            float b = weight == null ? 1 : 2;
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1.5f * a, 0.5f * b, 0}, perRow.detach().toFloatArray(), what);
            perRow.mul(inf).sum().backward();
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, -inf, 0, -inf, 0, 0, 0, 0, 0}, x.grad().toFloatArray(),
                    what + ": gradient of the losses times inf");
        }
    }

    /**
     * A seed gives every backend the reference's Bernoulli mask, bit for bit: contiguous, at an
     * offset into its storage, and written through a transposed view (drawn by row-major index).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 1000, 70001})
    void bernoulliMasksAreTheSameOnEveryBackend(int n) {
        for (double p : new double[] {0, 0.1, 0.5, 0.9, 1}) {
            dev.cortado.tensor.Cortado.manualSeed(n);
            Tensor expected = Tensor.empty(new int[] {n}, DType.FLOAT32, REF).bernoulli_(p);
            dev.cortado.tensor.Cortado.manualSeed(n);
            Tensor actual = Tensor.empty(new int[] {n}, DType.FLOAT32, device()).bernoulli_(p);
            assertBits("bernoulli_(" + p + ") of " + n, expected, actual);
        }
        dev.cortado.tensor.Cortado.manualSeed(5);
        Tensor expected = Tensor.zeros(new int[] {3, n}, DType.FLOAT32, REF).t().bernoulli_(0.3);
        dev.cortado.tensor.Cortado.manualSeed(5);
        Tensor actual = Tensor.zeros(new int[] {3, n}, DType.FLOAT32, device()).t().bernoulli_(0.3);
        assertBits("bernoulli_ through a transposed view", expected, actual);
        dev.cortado.tensor.Cortado.manualSeed(6);
        Tensor base = Tensor.zeros(new int[] {n + 4}, DType.FLOAT32, device());
        base.slice(0, 4, n + 4, 1).bernoulli_(0.5);
        dev.cortado.tensor.Cortado.manualSeed(6);
        Tensor alone = Tensor.empty(new int[] {n}, DType.FLOAT32, REF).bernoulli_(0.5);
        assertBits("bernoulli_ at an offset", alone, base.slice(0, 4, n + 4, 1));
        assertBits("bernoulli_ leaves what precedes the view", Tensor.zeros(new int[] {4}, DType.FLOAT32, REF), base.slice(0, 0, 4, 1));
    }

    private static void assertBits(String what, Tensor expected, Tensor actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                org.junit.jupiter.api.Assertions.fail(what + ": element " + i + " is " + a[i] + ", expected the bits of " + e[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 1000})
    void inPlaceArithmeticOnFreshTensorsAndViews(int n) {
        Tensor a = randn(11, REF, 3, n);
        Tensor b = randn(12, REF, 3, n);
        Tensor row = randn(13, REF, n);
        same("add_", TOL, in -> in[0].mul(1).add_(in[1]), a, b);
        same("mul_ scalar, add_ alpha, sub_ row", TOL, in -> in[0].mul(1).mul_(0.9).add_(in[1], -0.1).sub_(in[2]), a, b, row);
        same("mul_ itself", TOL, in -> {
            Tensor t = in[0].mul(1);
            return t.mul_(t);
        }, a);
        same("add_ its own flipped view", TOL, in -> {
            Tensor t = in[0].mul(1);
            return t.add_(t.flip(1));
        }, a);
        same("into a strided view", TOL, in -> {
            Tensor t = in[0].mul(1);
            t.slice(1, 0, n, 2).mul_(in[1].slice(1, 0, n, 2));
            t.t().add_(in[1].t(), 2);
            return t;
        }, a, b);
    }

    /** SGD's update written as its elementwise ops: the definition that a fused kernel must match bit for bit. */
    private static void sgdByElementwiseOps(Tensor p, Tensor g, Tensor buf, double lr, double mu, double damp, double wd, boolean nesterov) {
        Tensor d = wd != 0 ? g.add(p, wd) : g;
        buf.mul_(mu).add_(d, 1 - damp);
        p.add_(nesterov ? d.add(buf, mu) : buf, -lr);
    }

    /** Adam's update as its elementwise ops run it (optim's Adam.update without the fused path). */
    private static void adamByElementwiseOps(Tensor p, Tensor g, Tensor m, Tensor v, Tensor max, double lr, double b1, double b2, double eps,
                                             double wd, boolean decoupled, double step) {
        if (wd != 0) {
            if (decoupled) {
                p.mul_(1 - lr * wd);
            } else {
                g = g.add(p, wd);
            }
        }
        m.mul_(b1).add_(g, 1 - b1);
        v.mul_(b2).add_(g.square(), 1 - b2);
        double bc1 = 1 - Math.pow(b1, step);
        double bc2 = 1 - Math.pow(b2, step);
        Tensor second = v;
        if (max != null) {
            max.copy_(Tensor.where(max.gt(v), max, v));
            second = max;
        }
        Tensor denom = second.sqrt().div(Math.sqrt(bc2)).add(eps);
        p.add_(m.div(denom), -lr / bc1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 70001})
    void fusedAdamStepGivesTheBitsOfTheElementwiseOps(int n) {
        // lr, beta1, beta2, eps, weight decay, decoupled, amsgrad, step
        double[][] settings = {{1e-3, 0.9, 0.999, 1e-8, 0, 0, 0, 1}, {1e-2, 0.8, 0.99, 1e-6, 1e-2, 0, 1, 3},
            {1e-3, 0.9, 0.999, 1e-8, 1e-2, 1, 0, 7}, {5e-3, 0.9, 0.999, 1e-8, 1e-1, 1, 1, 2}};
        for (double[] o : settings) {
            boolean decoupled = o[5] != 0;
            boolean amsgrad = o[6] != 0;
            String what = "adam step of " + n + " with lr, betas, eps, weight decay, decoupled, amsgrad, step " + java.util.Arrays.toString(o);
            Tensor[] state = {randn(31, device(), n), randn(32, device(), n), randn(33, device(), n).abs(),
                amsgrad ? randn(34, device(), n).abs() : null, randn(35, device(), n)};
            Tensor[] fused = new Tensor[state.length];
            for (int i = 0; i < state.length; i++) {
                fused[i] = state[i] == null ? null : state[i].clone();
            }
            adamByElementwiseOps(state[0], state[4], state[1], state[2], state[3], o[0], o[1], o[2], o[3], o[4], decoupled, o[7]);
            if (OptimizerSteps.adam_(fused[0], fused[4], fused[1], fused[2], fused[3], o[0], o[1], o[2], o[3], o[4], decoupled, o[7])) {
                String[] names = {"parameter", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
                for (int i = 0; i < 4; i++) {
                    if (state[i] != null) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(state[i].toFloatArray(), fused[i].toFloatArray(), 0f,
                                what + ": " + names[i]);
                    }
                }
            } else {
                org.junit.jupiter.api.Assertions.assertArrayEquals(randn(31, device(), n).toFloatArray(), fused[0].toFloatArray(), 0f,
                        what + ": a backend without the kernel must leave the parameter alone");
            }
            Tensor pr = randn(31, REF, n);
            adamByElementwiseOps(pr, randn(35, REF, n), randn(32, REF, n), randn(33, REF, n).abs(), amsgrad ? randn(34, REF, n).abs() : null,
                    o[0], o[1], o[2], o[3], o[4], decoupled, o[7]);
            Inputs.assertClose(what + " against the reference", pr, state[0].to(REF), TOL);
        }
        Tensor p = randn(36, device(), 4, 5);
        Tensor m = randn(37, device(), 4, 5);
        org.junit.jupiter.api.Assertions.assertFalse(OptimizerSteps.adam_(p, randn(38, device(), 4, 5), m, m, null, 1e-3, 0.9, 0.999,
                1e-8, 0, false, 1), "exp_avg and exp_avg_sq sharing storage are left to the elementwise ops");
        Tensor leaf = randn(39, device(), 5).requiresGrad_(true);
        Inputs.assertMessage(() -> OptimizerSteps.adam_(leaf, randn(40, device(), 5), randn(41, device(), 5), randn(42, device(), 5), null,
                1e-3, 0.9, 0.999, 1e-8, 0, false, 1), "adam_", "GradMode.off");
    }

    /**
     * The multi-parameter Adam step gives each parameter the bits of its own fused step, each at
     * its own step count, with and without AMSGrad and (decoupled) weight decay.
     */
    @Test
    void adamStepOverManyParametersGivesTheBitsOfOneAtATime() {
        // lr, beta1, beta2, eps, weight decay, decoupled, amsgrad
        double[][] settings = {{1e-3, 0.9, 0.999, 1e-8, 0, 0, 0}, {1e-2, 0.8, 0.99, 1e-6, 1e-2, 1, 1}, {5e-3, 0.9, 0.999, 1e-8, 1e-4, 0, 0}};
        for (double[] o : settings) {
            boolean decoupled = o[5] != 0;
            boolean amsgrad = o[6] != 0;
            int count = 37;
            java.util.List<java.util.List<Tensor>> fused = new java.util.ArrayList<>();
            java.util.List<java.util.List<Tensor>> single = new java.util.ArrayList<>();
            for (int k = 0; k < 5; k++) {
                fused.add(new java.util.ArrayList<>());
                single.add(new java.util.ArrayList<>());
            }
            double[] steps = new double[count];
            for (int i = 0; i < count; i++) {
                int size = i == 3 ? 0 : (i * 53) % 257 + 1;
                steps[i] = 1 + i % 5;
                Tensor[] t = {randn(400 + i, device(), size), randn(500 + i, device(), size), randn(600 + i, device(), size),
                    randn(700 + i, device(), size).abs(), randn(800 + i, device(), size).abs()};
                for (int k = 0; k < 5; k++) {
                    fused.get(k).add(t[k]);
                    single.get(k).add(k == 1 ? t[k] : t[k].clone());
                }
            }
            boolean ok = OptimizerSteps.adamAll_(fused.get(0), fused.get(1), fused.get(2), fused.get(3), amsgrad ? fused.get(4) : null, o[0],
                    o[1], o[2], o[3], o[4], decoupled, steps);
            for (int i = 0; i < count; i++) {
                Tensor p = single.get(0).get(i);
                Tensor g = single.get(1).get(i);
                Tensor m = single.get(2).get(i);
                Tensor v = single.get(3).get(i);
                Tensor max = amsgrad ? single.get(4).get(i) : null;
                if (!OptimizerSteps.adam_(p, g, m, v, max, o[0], o[1], o[2], o[3], o[4], decoupled, steps[i])) {
                    adamByElementwiseOps(p, g, m, v, max, o[0], o[1], o[2], o[3], o[4], decoupled, steps[i]);
                }
                if (ok) {
                    String what = "parameter " + i + " of " + count + " at step " + steps[i] + ", settings " + java.util.Arrays.toString(o);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(p.toFloatArray(), fused.get(0).get(i).toFloatArray(), 0f, what);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(m.toFloatArray(), fused.get(2).get(i).toFloatArray(), 0f, what + ": m");
                    org.junit.jupiter.api.Assertions.assertArrayEquals(v.toFloatArray(), fused.get(3).get(i).toFloatArray(), 0f, what + ": v");
                    if (amsgrad) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(max.toFloatArray(), fused.get(4).get(i).toFloatArray(), 0f,
                                what + ": max v");
                    }
                }
            }
        }
        Tensor p = randn(41, device(), 6);
        Tensor m = randn(42, device(), 6);
        org.junit.jupiter.api.Assertions.assertFalse(OptimizerSteps.adamAll_(java.util.List.of(p, randn(43, device(), 6)),
                java.util.List.of(randn(44, device(), 6), randn(45, device(), 6)), java.util.List.of(m, m),
                java.util.List.of(randn(46, device(), 6), randn(47, device(), 6)), null, 1e-3, 0.9, 0.999, 1e-8, 0, false,
                new double[] {1, 1}), "one moment buffer for two parameters must not be fused");
    }

    /**
     * The multi-parameter SGD step (one launch per 32 parameters on a GPU) gives each parameter
     * the bits of its own fused step: 40 parameters of odd sizes, one empty, so that a launch ends
     * mid-list and the element-to-parameter search meets an empty range.
     */
    @Test
    void sgdStepOverManyParametersGivesTheBitsOfOneAtATime() {
        double[][] settings = {{0.1, 0.9, 0, 0, 0}, {0.05, 0.9, 0.1, 1e-2, 0}, {0.05, 0.9, 0, 1e-4, 1}};
        for (double[] o : settings) {
            java.util.List<Tensor> ps = new java.util.ArrayList<>();
            java.util.List<Tensor> gs = new java.util.ArrayList<>();
            java.util.List<Tensor> bs = new java.util.ArrayList<>();
            java.util.List<Tensor> ps1 = new java.util.ArrayList<>();
            java.util.List<Tensor> bs1 = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int size = i == 5 ? 0 : (i * 37) % 300 + 1;
                ps.add(randn(100 + i, device(), size));
                gs.add(randn(200 + i, device(), size));
                bs.add(randn(300 + i, device(), size));
                ps1.add(ps.get(i).clone());
                bs1.add(bs.get(i).clone());
            }
            boolean nesterov = o[4] != 0;
            boolean fused = OptimizerSteps.sgdMomentumAll_(ps, gs, bs, o[0], o[1], o[2], o[3], nesterov);
            for (int i = 0; i < 40; i++) {
                Tensor p1 = ps1.get(i);
                Tensor b1 = bs1.get(i);
                if (!OptimizerSteps.sgdMomentum_(p1, gs.get(i), b1, o[0], o[1], o[2], o[3], nesterov)) {
                    sgdByElementwiseOps(p1, gs.get(i), b1, o[0], o[1], o[2], o[3], nesterov);
                }
                if (fused) {
                    String what = "parameter " + i + " of 40, settings " + java.util.Arrays.toString(o);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(p1.toFloatArray(), ps.get(i).toFloatArray(), 0f, what);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(b1.toFloatArray(), bs.get(i).toFloatArray(), 0f, what + ": buffer");
                }
            }
        }
        Tensor p = randn(31, device(), 6);
        Tensor b = randn(32, device(), 6);
        Tensor before = p.clone();
        org.junit.jupiter.api.Assertions.assertFalse(OptimizerSteps.sgdMomentumAll_(java.util.List.of(p, randn(33, device(), 6)),
                java.util.List.of(randn(34, device(), 6), randn(35, device(), 6)), java.util.List.of(b, b), 0.1, 0.9, 0, 0, false),
                "one buffer for two parameters must not be fused");
        org.junit.jupiter.api.Assertions.assertFalse(OptimizerSteps.sgdMomentumAll_(java.util.List.of(p, randn(36, device(), 6)),
                java.util.List.of(randn(37, device(), 6), p), java.util.List.of(b, randn(38, device(), 6)), 0.1, 0.9, 0, 0, false),
                "a gradient that is another parameter must not be fused");
        org.junit.jupiter.api.Assertions.assertArrayEquals(before.toFloatArray(), p.toFloatArray(), 0f, "a refused step changes nothing");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 70001})
    void fusedSgdStepGivesTheBitsOfTheElementwiseOps(int n) {
        double[][] settings = {{0.1, 0.9, 0, 0, 0}, {0.05, 0.9, 0.1, 1e-2, 0}, {0.05, 0.9, 0, 1e-4, 1}};
        for (double[] o : settings) {
            boolean nesterov = o[4] != 0;
            Tensor p = randn(21, device(), n);
            Tensor g = randn(22, device(), n);
            Tensor buf = randn(23, device(), n);
            Tensor p2 = p.clone();
            Tensor buf2 = buf.clone();
            sgdByElementwiseOps(p, g, buf, o[0], o[1], o[2], o[3], nesterov);
            String what = "sgd step of " + n + " with lr, momentum, dampening, weight decay, nesterov " + java.util.Arrays.toString(o);
            if (OptimizerSteps.sgdMomentum_(p2, g, buf2, o[0], o[1], o[2], o[3], nesterov)) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(p.toFloatArray(), p2.toFloatArray(), 0f, what + ": parameter");
                org.junit.jupiter.api.Assertions.assertArrayEquals(buf.toFloatArray(), buf2.toFloatArray(), 0f, what + ": buffer");
            } else {
                org.junit.jupiter.api.Assertions.assertArrayEquals(randn(21, device(), n).toFloatArray(), p2.toFloatArray(), 0f,
                        what + ": a backend without the kernel must leave the parameter alone");
            }
            Tensor pr = randn(21, REF, n);
            sgdByElementwiseOps(pr, randn(22, REF, n), randn(23, REF, n), o[0], o[1], o[2], o[3], nesterov);
            Inputs.assertClose(what + " against the reference", pr, p.to(REF), TOL);
        }
        Tensor p = randn(24, device(), 4, 5);
        Tensor before = p.clone();
        org.junit.jupiter.api.Assertions.assertFalse(OptimizerSteps.sgdMomentum_(p.t(), randn(25, device(), 5, 4), randn(26, device(), 5, 4),
                0.1, 0.9, 0, 0, false), "a transposed parameter is left to the elementwise ops");
        org.junit.jupiter.api.Assertions.assertArrayEquals(before.toFloatArray(), p.toFloatArray(), 0f);
        Tensor leaf = randn(27, device(), 5).requiresGrad_(true);
        Inputs.assertMessage(() -> OptimizerSteps.sgdMomentum_(leaf, randn(28, device(), 5), randn(29, device(), 5), 0.1, 0.9, 0, 0,
                false), "sgdMomentum_", "GradMode.off");
    }

    @Test
    void int64Ops() {
        // Made on the reference device: a backend's test module need not have the CPU backend.
        long[] av = new long[13];
        long[] bv = new long[13];
        for (int i = 0; i < 13; i++) {
            av[i] = 3L * i;
            bv[i] = i;
        }
        Tensor a = Tensor.fromArray(av, new int[] {13}, REF);
        Tensor b = Tensor.fromArray(bv, new int[] {13}, REF);
        same("int add", 0, in -> in[0].add(in[1]), a, b);
        same("int mul scalar", 0, in -> in[0].mul(3).sub(2), a);
        same("int compare", 0, in -> in[0].gt(in[1]), a, b);
        same("int to float", 0, in -> in[0].to(DType.FLOAT32).div(2), a);
        same("int sum", 0, in -> in[0].sum(), a);
        same("int max", 0, in -> in[0].max(0, false).values(), a);
        same("float to int", 0, in -> in[0].mul(3.7).to(DType.INT64), randn(9, REF, 20));
        // Values past 2^53 would lose bits through a float64 on the way.
        Tensor big = Tensor.fromArray(new long[] {(1L << 60) + 1, -(1L << 55) - 3, Long.MAX_VALUE}, new int[] {3, 1}, REF);
        same("int where, broadcast", 0, in -> Tensor.where(in[0].gt(in[1].reshape(1, 13)), in[2], in[0].reshape(1, 13)), a, b, big);
        same("int where of views", 0, in -> Tensor.where(in[1].reshape(13, 1).lt(in[0].reshape(1, 13)).t(), in[0].reshape(13, 1),
                in[1].reshape(13, 1).flip(0)), a, b);
    }

    @Test
    void int64UnaryOpsAndReductions() {
        long[] v = {-7, -1, 0, 1, 5, 42, Long.MIN_VALUE + 1, 1L << 40};
        Tensor a = Tensor.fromArray(v, new int[] {8}, REF);
        same("int neg", 0, in -> in[0].neg(), a);
        same("int abs", 0, in -> in[0].abs(), a);
        same("int sign", 0, in -> in[0].sign(), a);
        same("int relu", 0, in -> in[0].relu(), a);
        same("int clamp", 0, in -> in[0].clamp(-3, 10), a);
        same("int min along a dim", 0, in -> in[0].reshape(2, 4).min(1, false).values(), a);
        same("int argmax along a dim", 0, in -> in[0].reshape(2, 4).argmax(1, false), a);
        same("int sum of a transposed view", 0, in -> in[0].reshape(2, 4).t().sum(1), a);
    }

    /** Views read straight back to the host (gathered on the device first), and float64 uploads. */
    @Test
    void stridedViewsReadBackAndDoubleUploads() {
        Tensor x = randn(51, REF, 6, 7);
        Tensor onDevice = x.to(device());
        org.junit.jupiter.api.Assertions.assertArrayEquals(x.t().toFloatArray(), onDevice.t().toFloatArray(), 0f, "transposed view");
        org.junit.jupiter.api.Assertions.assertArrayEquals(x.flip(1).narrow(0, 2, 3).toFloatArray(),
                onDevice.flip(1).narrow(0, 2, 3).toFloatArray(), 0f, "flipped slice");
        Tensor longs = Tensor.fromArray(new long[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, device());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {1, 4, 2, 5, 3, 6}, longs.t().toLongArray(), "int64 transposed view");
        double[] d = {0.1, -2.5, 1e-40, 3e38};
        org.junit.jupiter.api.Assertions.assertArrayEquals(Tensor.fromArray(d, new int[] {4}, REF).toFloatArray(),
                Tensor.fromArray(d, new int[] {4}, device()).toFloatArray(), 0f, "float64 data rounded to float32 on upload");
    }

    /** Tensors with no elements: ops give empty results or the identity of the reduction, never an error. */
    @Test
    void emptyTensors() {
        Tensor e = randn(52, REF, 0, 5);
        Tensor w = randn(53, REF, 5, 3);
        same("elementwise on empty", 0, in -> in[0].add(1).mul(in[0]).relu(), e);
        same("sum over the empty dim", 0, in -> in[0].sum(0), e);
        same("sum of an empty tensor along its other dim", 0, in -> in[0].sum(1), e);
        same("max along the non-empty dim of an empty tensor", 0, in -> in[0].max(1, false).values(), e);
        same("softmax of empty rows", 0, in -> in[0].softmax(1), e);
        same("softmax along the empty dim", 0, in -> in[0].softmax(0), e);
        Inputs.assertGradParity("softmax gradient of empty rows", device(), 0, in -> in[0].logSoftmax(1), e);
        Inputs.assertGradParity("softmax gradient along the empty dim", device(), 0, in -> in[0].softmax(0), e);
        same("argmax of empty rows", 0, in -> in[0].argmax(1, false), e);
        same("matmul with k = 0", 0, in -> in[0].t().matmul(in[0]), e);
        same("matmul with m = 0", 0, in -> in[0].matmul(in[1]), e, w);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 33, 1000})
    void reductions(int n) {
        Tensor x = randn(n + 10, REF, 4, n, 3);
        double tol = 1e-5;
        same("sum all", tol, in -> in[0].sum(), x);
        same("mean all", tol, in -> in[0].mean(), x);
        same("sum last", tol, in -> in[0].sum(2), x);
        same("sum middle", tol, in -> in[0].sum(1), x);
        same("sum first", tol, in -> in[0].sum(0), x);
        same("sum outer two", tol, in -> in[0].sum(new int[] {0, 1}, true), x);
        same("mean ends", tol, in -> in[0].mean(new int[] {0, 2}, false), x);
        same("sum transposed", tol, in -> in[0].transpose(0, 2).sum(2), x);
        same("max", 0, in -> in[0].max(), x);
        same("min dim", 0, in -> in[0].min(1, false).values(), x);
        same("max dim values", 0, in -> in[0].max(1, true).values(), x);
        same("argmax dim", 0, in -> in[0].argmax(1, false), x);
        same("argmin last", 0, in -> in[0].argmin(2, false), x);
        same("argmax flat", 0, in -> in[0].argmax(), x);
        same("var", tol, in -> in[0].var(new int[] {1}, true, false), x);
        same("std", tol, in -> in[0].std(false), x);
    }

    /**
     * Long reductions with few outputs (a whole tensor, a convolution's bias gradient over batch
     * and pixels), which a GPU backend splits over several blocks per output.
     */
    @Test
    void longReductionsWithFewOutputs() {
        Tensor x = randn(61, REF, 100_003);
        double tol = 1e-5;
        same("sum of 100,003", tol, in -> in[0].sum(), x);
        same("mean of 100,003", tol, in -> in[0].mean(), x);
        same("max of 100,003", 0, in -> in[0].max(), x);
        same("min of 100,003", 0, in -> in[0].min(), x);
        // 20,000 terms that cancel to about 1: float32 partial sums (the CPU's) are off by 1e-5 of the terms' scale.
        Tensor g = randn(62, REF, 8, 3, 50, 50);
        same("sum over (N, H, W), as a bias gradient", 1e-4, in -> in[0].sum(new int[] {0, 2, 3}, false), g);
        same("the same through a transposed view", 1e-4, in -> in[0].transpose(1, 3).sum(new int[] {0, 1, 2}, false), g);
        float[] v = x.toFloatArray();
        v[77_777] = Float.NaN;
        Tensor withNaN = Tensor.fromArray(v, new int[] {v.length}, REF);
        same("max with a NaN far in", 0, in -> in[0].max(), withNaN);
        same("min with a NaN far in", 0, in -> in[0].min(), withNaN);
        same("sum with a NaN far in", 0, in -> in[0].sum(), withNaN);
    }

    /**
     * max() and min() over every element hand the gradient to the elements equal to the result,
     * shared where they tie, and a NaN result (NaN wins) to the NaN elements, as PyTorch's
     * evenly_distribute_backward does, rather than NaN to every element.
     */
    @Test
    void maxAndMinOfEverythingShareTheGradientAmongTheirElements() {
        float nan = Float.NaN;
        float[][] cases = {{3, 1, 3, 2}, {1, nan, 3, nan, 3}};
        float[][] maxGrad = {{0.5f, 0, 0.5f, 0}, {0, 0.5f, 0, 0.5f, 0}};
        float[][] minGrad = {{0, 1, 0, 0}, {0, 0.5f, 0, 0.5f, 0}};
        for (int c = 0; c < cases.length; c++) {
            for (boolean max : new boolean[] {true, false}) {
                Tensor x = Tensor.fromArray(cases[c], new int[] {cases[c].length}, device()).requiresGrad_(true);
                (max ? x.max() : x.min()).backward();
                org.junit.jupiter.api.Assertions.assertArrayEquals(max ? maxGrad[c] : minGrad[c], x.grad().toFloatArray(), 0f,
                        (max ? "max" : "min") + " of " + java.util.Arrays.toString(cases[c]));
            }
        }
    }

    @Test
    void reductionsWhoseReducedDimsAllHaveSizeOne() {
        Tensor one = randn(31, REF, 1);
        same("sum of one element", 0, in -> in[0].sum(), one);
        same("max of one element", 0, in -> in[0].max(), one);
        same("mean of (1, 1)", 0, in -> in[0].mean(), randn(32, REF, 1, 1));
        Tensor column = randn(33, REF, 3, 1);
        same("sum over a size-1 dim of a transposed view", 0, in -> in[0].t().sum(0), column);
        same("max over a size-1 dim", 0, in -> in[0].max(1, false).values().sum(), randn(34, REF, 1, 4));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 10, 33, 1000})
    void softmaxAlongEachDim(int n) {
        Tensor x = randn(n, REF, 5, n).mul(10);
        same("softmax last", 1e-5, in -> in[0].softmax(1), x);
        same("softmax first", 1e-5, in -> in[0].softmax(0), x);
        same("logSoftmax last", 1e-5, in -> in[0].logSoftmax(1), x);
        same("logSoftmax transposed", 1e-5, in -> in[0].t().logSoftmax(1), x);
        Inputs.assertGradParity("softmax gradient, last dim", device(), 1e-5, in -> in[0].softmax(1), x);
        Inputs.assertGradParity("softmax gradient, first dim", device(), 1e-5, in -> in[0].softmax(0), x);
        Inputs.assertGradParity("logSoftmax gradient, last dim", device(), 1e-5, in -> in[0].logSoftmax(1), x);
        Inputs.assertGradParity("logSoftmax gradient of a transposed view", device(), 1e-5, in -> in[0].t().logSoftmax(1), x);
        // A gradient broadcast from a sum reaches the backward pass with zero strides.
        Inputs.assertGradParity("logSoftmax gradient from a sum", device(), 1e-5, in -> in[0].logSoftmax(0).sum(1), x);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 6, 7, 17, 33, 95, 97, 130})
    void matmulShapes(int n) {
        double tol = 1e-5 * Math.sqrt(n);
        Tensor a = randn(n, REF, n, n + 3);
        Tensor b = randn(n + 1, REF, n + 3, 2 * n + 1);
        same("mm", tol, in -> in[0].matmul(in[1]), a, b);
        same("mm At", tol, in -> in[0].t().matmul(in[1].t().t()), randn(7, REF, n + 3, n), b);
        same("mm Bt", tol, in -> in[0].matmul(in[1].t()), a, randn(8, REF, 2 * n + 1, n + 3));
        same("mv", tol, in -> in[0].matmul(in[1]), a, randn(9, REF, n + 3));
        same("vm", tol, in -> in[0].matmul(in[1]), randn(10, REF, n), a);
    }

    @Test
    void batchedMatmulBroadcastsBatchDims() {
        same("bmm", 1e-5, in -> in[0].matmul(in[1]), randn(1, REF, 4, 5, 6), randn(2, REF, 4, 6, 7));
        same("broadcast batch", 1e-5, in -> in[0].matmul(in[1]), randn(3, REF, 2, 1, 5, 6), randn(4, REF, 3, 6, 7));
        same("batch x matrix", 1e-5, in -> in[0].matmul(in[1]), randn(5, REF, 3, 40, 64), randn(6, REF, 64, 50));
        same("many small", 1e-5, in -> in[0].matmul(in[1].transpose(1, 2)), randn(7, REF, 64, 9, 8), randn(8, REF, 64, 10, 8));
        same("large batched", 1e-4, in -> in[0].matmul(in[1]), randn(9, REF, 2, 150, 130), randn(10, REF, 2, 130, 140));
    }

    @Test
    void copiesCatPadAndViews() {
        Tensor x = randn(1, REF, 2, 3, 5);
        same("contiguous of permute", 0, in -> in[0].permute(2, 0, 1).contiguous(), x);
        same("reshape of transpose", 0, in -> in[0].transpose(1, 2).reshape(10, 3), x);
        same("cat", 0, in -> Tensor.cat(List.of(in[0], in[0].flip(1)), 1), x);
        same("stack", 0, in -> Tensor.stack(List.of(in[0], in[0].mul(2)), 0), x);
        same("pad constant", 0, in -> in[0].pad(new int[] {1, 2, 0, 1}, PadMode.CONSTANT, -3), x);
        same("pad channels", 0, in -> in[0].pad(0, 0, 0, 0, 2, 2), x);
        same("pad reflect", 0, in -> in[0].pad(new int[] {2, 3, 1, 1}, PadMode.REFLECT, 0), x);
        Inputs.assertGradParity("pad replicate", device(), TOL, in -> in[0].pad(new int[] {2, 3, 1, 1}, PadMode.REPLICATE, 0), x);
        Inputs.assertGradParity("pad circular", device(), TOL, in -> in[0].pad(new int[] {2, 3, 0, 2}, PadMode.CIRCULAR, 0), x);
        same("expand", 0, in -> in[0].narrow(1, 1, 1).expand(2, 4, 5).contiguous(), x);
        same("fill", 0, in -> in[0].zerosLike().fill_(4.5), x);
        same("copy_ broadcast", 0, in -> in[0].zerosLike().copy_(in[0].select(0, 1)), x);
    }

    /**
     * cumsum along each dim of views, of long lines, and of int64; float32 sums carried in double
     * and rounded once per element, as PyTorch's CPU does (in float32, 1e8 + 1 - 1e8 would be 0).
     */
    @Test
    void cumsumAlongEveryDimOfViews() {
        Tensor x = randn(31, REF, 3, 17, 5);
        for (int d = 0; d < 3; d++) {
            int dim = d;
            Inputs.assertGradParity("cumsum along " + d, device(), TOL, in -> in[0].cumsum(dim), x);
            same("cumsum of a transposed, flipped view along " + d, TOL, in -> in[0].transpose(0, 2).flip(1).cumsum(dim), x);
        }
        same("cumsum of a long line", TOL, in -> in[0].cumsum(0), uniform(32, 0, 1, REF, 70001));
        float[] carried = Tensor.fromArray(new float[] {1e8f, 1, -1e8f, 0.5f}, new int[] {4}, device()).cumsum(0).toFloatArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1e8f, 1e8f, 1, 1.5f}, carried, "cumsum carried in double on " + device());
        Tensor ints = Tensor.fromArray(new long[] {5, -3, 7, 1L << 40, 2, -9}, new int[] {2, 3}, REF);
        same("int64 cumsum", 0, in -> in[0].cumsum(1), ints);
        same("int64 cumsum of a transposed view", 0, in -> in[0].t().cumsum(0), ints);
    }

    /**
     * Ops composed of views, copies and pointwise kernels: overlapping windows (unfold), strided
     * writes into a sum (fold), wrap-around cats (roll), masks (tril) and a stable reduction
     * (logsumexp), forward and backward.
     */
    @Test
    void composedWindowAndShiftOps() {
        Tensor x = randn(5, REF, 2, 3, 7, 6);
        int[] k = {3, 2};
        int[] dil = {2, 1};
        int[] pad = {1, 1};
        int[] stride = {1, 2};
        Inputs.assertGradParity("unfold view", device(), TOL, in -> in[0].unfold(2, 3, 2), x);
        Inputs.assertGradParity("F.unfold", device(), TOL, in -> dev.cortado.tensor.Folding.unfold(in[0], k, dil, pad, stride), x);
        Tensor cols = randn(6, REF, 2, 18, 20);
        Inputs.assertGradParity("F.fold", device(), TOL,
                in -> dev.cortado.tensor.Folding.fold(in[0], new int[] {7, 6}, k, dil, pad, stride), cols);
        Inputs.assertGradParity("roll", device(), 0, in -> in[0].roll(new int[] {2, -1}, new int[] {1, 3}), x);
        Inputs.assertGradParity("tril", device(), 0, in -> in[0].tril(-1), x);
        Inputs.assertGradParity("logsumexp", device(), TOL, in -> in[0].logsumexp(new int[] {1, 3}, false), x.mul(20));
    }

    /** Seeded int64 positions in [0, bound) on the device: repeats included, as a gradient's scatter must add them up. */
    private static Tensor positions(long seed, int bound, Device device, int... shape) {
        float[] u = new dev.cortado.tensor.Generator(seed).uniform(dev.cortado.tensor.Shapes.numel(shape));
        long[] p = new long[u.length];
        for (int i = 0; i < u.length; i++) {
            p[i] = Math.min(bound - 1, (long) (u[i] * bound));
        }
        return Tensor.fromArray(p, shape, device);
    }

    /**
     * gather, indexSelect and scatterAdd, forward and backward (a gather's gradient is a
     * scatterAdd with repeated positions), on views, on index views of stride 0, in int64, and
     * on a view of nine dims that do not merge.
     */
    @Test
    void gatherScatterAndIndexSelect() {
        Tensor x = randn(81, REF, 4, 6, 5);
        Inputs.assertGradParity("gather along dim 1, index longer than the dim", device(), TOL,
                in -> in[0].gather(1, positions(1, 6, in[0].device(), 3, 9, 4)), x);
        Inputs.assertGradParity("gather along dim 0 of a transposed view by a flipped index", device(), TOL,
                in -> in[0].transpose(0, 2).gather(0, positions(2, 5, in[0].device(), 7, 6, 4).flip(1)), x);
        Inputs.assertGradParity("gather along the last dim by an expanded index", device(), TOL,
                in -> in[0].gather(-1, positions(3, 5, in[0].device(), 4, 1, 3).expand(4, 6, 3)), x);
        for (int dim = 0; dim < 3; dim++) {
            int d = dim;
            Inputs.assertGradParity("indexSelect along dim " + d, device(), TOL,
                    in -> in[0].indexSelect(d, positions(4 + d, x.size(d), in[0].device(), 11)), x);
        }
        Inputs.assertGradParity("indexSelect by a stepped view of an index", device(), TOL,
                in -> in[0].permute(2, 0, 1).indexSelect(1, positions(7, 4, in[0].device(), 10).slice(0, 1, 10, 3)), x);
        Tensor src = randn(82, REF, 4, 8, 5);
        Inputs.assertGradParity("scatterAdd of a larger src through a smaller index", device(), TOL,
                in -> in[0].scatterAdd(1, positions(8, 6, in[0].device(), 3, 7, 5), in[1]), x, src);
        Tensor labels = Tensor.fromArray(new long[] {5, -3, 1L << 50, 7, 0, 2}, new int[] {2, 3}, REF);
        same("int64 gather", 0, in -> in[0].gather(1, positions(9, 3, in[0].device(), 2, 5)), labels);
        same("int64 indexSelect", 0, in -> in[0].indexSelect(0, positions(10, 2, in[0].device(), 5)), labels);
        same("int64 scatterAdd", 0, in -> in[0].scatterAdd(0, positions(11, 2, in[0].device(), 2, 3), in[0].mul(3)), labels);
        // Permuted, ten dims whose strides do not merge into the CUDA kernels' eight.
        int[] ten = {2, 3, 2, 2, 3, 2, 2, 2, 3, 2};
        int[] reversed = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
        Tensor big = randn(83, REF, ten);
        Tensor bigSrc = randn(87, REF, 2, 3, 2, 2, 3, 2, 2, 2, 3, 4);
        Function<Device, Tensor> bigIndex = dev -> positions(12, 2, dev, 2, 3, 2, 2, 3, 2, 2, 2, 3, 4).permute(reversed);
        Inputs.assertGradParity("gather over ten dims that do not merge", device(), TOL,
                in -> in[0].permute(reversed).gather(0, bigIndex.apply(in[0].device())), big);
        Inputs.assertGradParity("scatterAdd over ten dims that do not merge", device(), TOL,
                in -> in[0].permute(reversed).scatterAdd(0, bigIndex.apply(in[0].device()), in[1].permute(reversed)), big, bigSrc);
    }

    /** Positions that repeat add up in the order of the index on every backend: the bits of a sequential float32 sum. */
    @Test
    void scatterAddSumsRepeatedPositionsInIndexOrder() {
        int n = 1000;
        Tensor values = uniform(84, -1, 1, REF, 2, n);
        long[] at = new long[2 * n];
        for (int i = 0; i < at.length; i++) {
            at[i] = i % 3 == 0 ? 0 : 1;
        }
        Tensor index = Tensor.fromArray(at, new int[] {2, n}, device());
        float[] v = values.toFloatArray();
        float[] expected = new float[4];
        for (int row = 0; row < 2; row++) {
            for (int j = 0; j < n; j++) {
                expected[row * 2 + (int) at[row * n + j]] += v[row * n + j];
            }
        }
        Tensor sums = Tensor.zeros(new int[] {2, 2}, DType.FLOAT32, device()).scatterAdd(1, index, values.to(device()));
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, sums.toFloatArray(), 0f, "scatterAdd of 1000 values into 2 positions");
    }

    @Test
    void maskedFillOverTheBroadcastShape() {
        Tensor x = randn(85, REF, 3, 4);
        Inputs.assertGradParity("maskedFill", device(), 0, in -> in[0].maskedFill(in[0].gt(0.3), -2.5), x);
        same("maskedFill with a broadcast mask", 0, in -> in[0].maskedFill(in[1].select(0, 1).lt(0), 7), x, randn(86, REF, 2, 4));
    }

    /** Values with many ties, both zeros, both infinities and NaN: a sort's indices then say whether it is stable. */
    private static Tensor tied(long seed, int... shape) {
        float[] v = Inputs.normal(seed, dev.cortado.tensor.Shapes.numel(shape));
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f};
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 7 == 3 ? special[(i / 7) % special.length] : Math.round(v[i] * 2) / 2f;
        }
        return Tensor.fromArray(v, shape, REF);
    }

    @Test
    void sortTopkAndArgsort() {
        Tensor x = tied(88, 5, 33, 7);
        for (int dim = 0; dim < 3; dim++) {
            for (boolean descending : new boolean[] {false, true}) {
                int d = dim;
                String what = "sort along dim " + d + (descending ? ", descending" : "");
                same(what + ": values", 0, in -> in[0].sort(d, descending).values(), x);
                same(what + ": indices", 0, in -> in[0].sort(d, descending).indices(), x);
            }
        }
        same("argsort of a transposed view", 0, in -> in[0].transpose(0, 2).argsort(1, true), x);
        same("sort of a line of 1000", 0, in -> in[0].sort(0, false).indices(), tied(89, 1000));
        same("topk of a flipped view", 0, in -> in[0].flip(1).topk(5, 1, false).indices(), x);
        Tensor longs = Tensor.fromArray(new long[] {5, Long.MIN_VALUE, -3, 5, Long.MAX_VALUE, 0, -3, 1L << 40}, new int[] {2, 4}, REF);
        same("int64 sort along dim 1", 0, in -> in[0].sort(1, false).values(), longs);
        same("int64 argsort along dim 0, descending", 0, in -> in[0].argsort(0, true), longs);
        Inputs.assertGradParity("topk", device(), 0, in -> in[0].topk(3, 1, true).values(), randn(90, REF, 4, 9));
        Inputs.assertGradParity("sort along dim 0", device(), 0, in -> in[0].sort(0, true).values(), randn(91, REF, 6, 3));
    }

    @Test
    void nonzeroMaskedSelectAndBincount() {
        Tensor x = tied(92, 4, 9);
        same("nonzero", 0, in -> in[0].nonzero(), x);
        Inputs.assertGradParity("maskedSelect of a transposed view", device(), 0, in -> in[0].t().maskedSelect(in[0].t().gt(0)), x);
        Tensor values = Tensor.fromArray(new long[] {3, 0, 7, 3, 3, 1}, new int[] {6}, REF);
        same("bincount", 0, in -> in[0].bincount(10), values);
        same("weighted bincount", TOL, in -> in[0].bincount(in[0].to(DType.FLOAT32).mul(0.5), 0), values);
    }

    /** copy_ from another view of the destination's memory reads the whole source first: a shifted slice, a flip, a broadcast row. */
    @Test
    void copyBetweenOverlappingViewsReadsTheSourceFirst() {
        float[] six = {0, 1, 2, 3, 4, 5};
        Tensor a = Tensor.fromArray(six, new int[] {6}, device());
        a.narrow(0, 1, 5).copy_(a.narrow(0, 0, 5));
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, a.toFloatArray(), "shifted right");
        Tensor b = Tensor.fromArray(six, new int[] {6}, device());
        b.narrow(0, 0, 5).copy_(b.narrow(0, 1, 5));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 5}, b.toFloatArray(), "shifted left");
        Tensor c = Tensor.fromArray(six, new int[] {6}, device());
        c.copy_(c.flip(0));
        assertArrayEquals(new float[] {5, 4, 3, 2, 1, 0}, c.toFloatArray(), "reversed");
        Tensor d = Tensor.fromArray(six, new int[] {2, 3}, device());
        d.copy_(d.select(0, 1));
        assertArrayEquals(new float[] {3, 4, 5, 3, 4, 5}, d.toFloatArray(), "a row broadcast over its own tensor");
        Tensor e = Tensor.fromArray(six, new int[] {2, 3}, device());
        e.t().copy_(e.t());
        assertArrayEquals(six, e.toFloatArray(), "a view copied onto itself");
    }

    /** In-place updates of views recorded by autograd (CopySlices, and views re-derived from their base): forward and gradients. */
    @Test
    void inPlaceUpdatesOfViewsAndTheirGradients() {
        Tensor x = randn(93, REF, 5, 4);
        Inputs.assertGradParity("a column block multiplied in place, a stale transposed view read", device(), TOL, in -> {
            Tensor h = in[0].mul(1.5);
            Tensor seen = h.t();
            h.narrow(1, 1, 2).mul_(in[0].narrow(1, 0, 2));
            return seen.add(h.t().mul(2));
        }, x);
        Inputs.assertGradParity("rows of a buffer filled in place, and an expanded view of the result", device(), TOL, in -> {
            Tensor out = Tensor.zeros(new int[] {3, 4}, dev.cortado.tensor.DType.FLOAT32, in[0].device());
            Tensor first = out.narrow(0, 0, 1).expand(2, 4);
            out.select(0, 0).copy_(in[0].select(0, 1).exp());
            out.select(0, 2).add_(in[0].select(0, 3), 0.5);
            return out.sum(0).add(first.sum(0));
        }, x);
    }
}
