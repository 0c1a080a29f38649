package dev.cortado.testing;

import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What PyTorch 1.13 prints for tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, exp2,
 * log2, log10 and erfc on sixteen inputs (signed zeros, a tiny value, the ends of the domains,
 * overflow, infinities, NaN), and their gradients on six. Within 4 ulp: PyTorch's are 1-ulp
 * approximations, and CUDA's own math functions are within 4 ulp of the exact value.
 */
final class MathFunctionCases {
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float NaN = Float.NaN;
    private static final float[] X = {-2.5f, -1f, -0.5f, -0f, 0f, 9.99999993922529e-09f, 0.30000001192092896f, 0.9990000128746033f, 1f, 1.5f, 3f,
            10f, 100f, INF, -INF, NaN};
    /** ψ(3/2) = 2 - γ - 2 ln 2, also ψ(-1/2). */
    private static final float PSI_3_2 = 0.03648997397857652f;
    private static final float[] G = {-2.5f, -0.5f, 0.3f, 0.7f, 1.5f, 3f};

    private MathFunctionCases() {
    }

    static void check(Device device) {
        one(device, "tan", Tensor::tan, "TanBackward0",
                new float[] {0.7470223307609558f, -1.5574077367782593f, -0.5463024973869324f, -0f, 0f, 9.99999993922529e-09f, 0.30933627486228943f,
                        1.5539875030517578f, 1.5574077367782593f, 14.101420402526855f, -0.14254654943943024f, 0.6483608484268188f, -0.587213933467865f,
                        NaN, NaN, NaN},
                new float[] {1.558042287826538f, 1.2984464168548584f, 1.0956889390945435f, 1.7094497680664062f, 199.8500518798828f,
                        1.0203194618225098f});
        one(device, "asin", Tensor::asin, "AsinBackward0",
                new float[] {NaN, -1.5707963705062866f, -0.5235987901687622f, -0f, 0f, 9.99999993922529e-09f, 0.30469265580177307f,
                        1.526071548461914f, 1.5707963705062866f, NaN, NaN, NaN, NaN, NaN, NaN, NaN},
                new float[] {NaN, 1.154700517654419f, 1.048284888267517f, 1.4002799987792969f, NaN, NaN});
        one(device, "acos", Tensor::acos, "AcosBackward0",
                new float[] {NaN, 3.1415927410125732f, 2.094395160675049f, 1.5707963705062866f, 1.5707963705062866f, 1.5707963705062866f,
                        1.2661036252975464f, 0.04472479969263077f, 0f, NaN, NaN, NaN, NaN, NaN, NaN, NaN},
                new float[] {NaN, -1.154700517654419f, -1.048284888267517f, -1.4002799987792969f, NaN, NaN});
        one(device, "atan", Tensor::atan, "AtanBackward0",
                new float[] {-1.1902899742126465f, -0.7853981256484985f, -0.46364760398864746f, -0f, 0f, 9.99999993922529e-09f, 0.29145681858062744f,
                        0.7848979234695435f, 0.7853981256484985f, 0.9827937483787537f, 1.249045729637146f, 1.4711276292800903f, 1.5607966184616089f,
                        1.5707963705062866f, -1.5707963705062866f, NaN},
                new float[] {0.13793103396892548f, 0.800000011920929f, 0.9174311757087708f, 0.6711409091949463f, 0.3076923191547394f,
                        0.10000000149011612f});
        one(device, "sinh", Tensor::sinh, "SinhBackward0",
                new float[] {-6.050204277038574f, -1.175201177597046f, -0.5210952758789062f, -0f, 0f, 9.99999993922529e-09f, 0.30452030897140503f,
                        1.1736587285995483f, 1.175201177597046f, 2.129279375076294f, 10.017874717712402f, 11013.232421875f, INF, INF, -INF, NaN},
                new float[] {6.132289409637451f, 1.1276259422302246f, 1.04533851146698f, 1.2551690340042114f, 2.352409601211548f,
                        10.067662239074707f});
        one(device, "cosh", Tensor::cosh, "CoshBackward0",
                new float[] {6.132289409637451f, 1.5430806875228882f, 1.1276259422302246f, 1f, 1f, 1f, 1.04533851146698f, 1.5419062376022339f,
                        1.5430806875228882f, 2.352409601211548f, 10.067662239074707f, 11013.2333984375f, INF, INF, INF, NaN},
                new float[] {-6.050204753875732f, -0.5210952758789062f, 0.30452030897140503f, 0.758583664894104f, 2.129279375076294f,
                        10.017874717712402f});
        one(device, "asinh", Tensor::asinh, "AsinhBackward0",
                new float[] {-1.6472312211990356f, -0.8813735842704773f, -0.4812118411064148f, -0f, 0f, 9.99999993922529e-09f, 0.29567307233810425f,
                        0.8806663155555725f, 0.8813735842704773f, 1.19476318359375f, 1.8184465169906616f, 2.998222827911377f, 5.298342227935791f, INF,
                        -INF, NaN},
                new float[] {0.3713906705379486f, 0.8944271802902222f, 0.9578262567520142f, 0.8192319273948669f, 0.5547001957893372f,
                        0.3162277638912201f});
        one(device, "acosh", Tensor::acosh, "AcoshBackward0",
                new float[] {NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 0f, 0.9624236822128296f, 1.7627471685409546f, 2.993222951889038f,
                        5.29829216003418f, INF, NaN, NaN},
                new float[] {0.4364357590675354f, NaN, NaN, NaN, 0.8944271802902222f, 0.3535533845424652f});
        one(device, "atanh", Tensor::atanh, "AtanhBackward0",
                new float[] {NaN, -INF, -0.5493061542510986f, -0f, 0f, 9.99999993922529e-09f, 0.30951961874961853f, 3.8002076148986816f, INF, NaN,
                        NaN, NaN, NaN, NaN, NaN, NaN},
                new float[] {-0.190476194024086f, 1.3333333730697632f, 1.0989011526107788f, 1.9607843160629272f, -0.800000011920929f, -0.125f});
        one(device, "exp2", Tensor::exp2, "Exp2Backward0",
                new float[] {0.1767766922712326f, 0.5f, 0.7071067690849304f, 1f, 1f, 1f, 1.2311444282531738f, 1.9986141920089722f, 2f,
                        2.8284270763397217f, 8f, 1024f, 1.2676506002282294e+30f, INF, 0f, NaN},
                new float[] {0.12253226339817047f, 0.4901290535926819f, 0.8533642888069153f, 1.126020908355713f, 1.9605162143707275f,
                        5.545177459716797f});
        one(device, "log2", Tensor::log2, "Log2Backward0",
                new float[] {NaN, NaN, NaN, -INF, -INF, -26.575424194335938f, -1.736965537071228f, -0.0014433983014896512f, 0f, 0.5849624872207642f,
                        1.5849624872207642f, 3.321928024291992f, 6.643856048583984f, INF, NaN, NaN},
                new float[] {-0.5770780444145203f, -2.885390043258667f, 4.808983325958252f, 2.060992956161499f, 0.9617967009544373f,
                        0.48089835047721863f});
        one(device, "log10", Tensor::log10, "Log10Backward0",
                new float[] {NaN, NaN, NaN, -INF, -INF, -8f, -0.5228787064552307f, -0.0004345061897765845f, 0f, 0.1760912537574768f,
                        0.4771212637424469f, 1f, 2f, INF, NaN, NaN},
                new float[] {-0.17371778190135956f, -0.868588924407959f, 1.4476481676101685f, 0.6204206943511963f, 0.2895296514034271f,
                        0.14476482570171356f});
        one(device, "erfc", Tensor::erfc, "ErfcBackward0",
                new float[] {1.9995930194854736f, 1.8427008390426636f, 1.5204999446868896f, 1f, 1f, 1f, 0.6713732481002808f, 0.15771472454071045f,
                        0.15729920566082f, 0.0338948518037796f, 2.2090496713644825e-05f, 2.802596928649634e-45f, 0f, 0f, 2f, NaN},
                new float[] {-0.002178284339606762f, -0.8787826299667358f, -1.0312609672546387f, -0.6912749409675598f, -0.11893029510974884f,
                        -0.00013925305393058807f});
    }

    /**
     * log Γ, ψ and erf⁻¹, on the same inputs as the functions above. PyTorch's float ψ near its
     * root (ψ(1.5) = ψ(-0.5) = 0.0364899739...) is 17 ulp off (0.0364899151, recurrence sums in
     * float); there the exact value stands.
     */
    static void special(Device device) {
        one(device, "lgamma", Tensor::lgamma, "LgammaBackward0",
                new float[] {-0.056243717670440674f, INF, 1.2655121088027954f, INF, INF, 18.42068099975586f, 1.0957978963851929f,
                        0.0005780310602858663f, 0f, -0.12078223377466202f, 0.6931471824645996f, 12.801827430725098f, 359.13421630859375f, INF, INF,
                        NaN},
                new float[] {1.1031566858291626f, PSI_3_2, -3.502523899078369f, -1.220023512840271f, PSI_3_2, 0.9227842092514038f});
        one(device, "digamma", Tensor::digamma, "DigammaBackward0",
                new float[] {1.1031566858291626f, NaN, PSI_3_2, INF, -INF, -100000000f, -3.502523899078369f, -0.5788617730140686f,
                        -0.5772159099578857f, PSI_3_2, 0.9227842092514038f, 2.2517526149749756f, 4.600162029266357f, INF, NaN, NaN},
                new float[] {9.539247512817383f, 8.934802055358887f, 12.245363235473633f, 2.8340487480163574f, 0.934802234172821f,
                        0.3949340581893921f});
        one(device, "erfinv", Tensor::erfinv, "ErfinvBackward0",
                new float[] {NaN, -INF, -0.4769362807273865f, -0f, 0f, 8.862269140763601e-09f, 0.27246272563934326f, 2.326756715774536f, INF,
                        NaN, NaN, NaN, NaN, NaN, NaN, NaN},
                null);
    }

    private static void one(Device device, String name, UnaryOperator<Tensor> f, String node, float[] values, float[] grads) {
        assertUlps(name + " on " + device, X, values, f.apply(Tensor.fromArray(X, new int[] {X.length}, device)).toFloatArray());
        if (grads == null) {
            return;
        }
        Tensor g = Tensor.fromArray(G, new int[] {G.length}, device).requiresGrad_(true);
        Tensor y = f.apply(g);
        assertEquals(node, y.gradFn().name());
        y.sum().backward();
        assertUlps(name + " gradient on " + device, G, grads, g.grad().toFloatArray());
    }

    private static void assertUlps(String what, float[] inputs, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            // Subnormal results (erfc(10)) are compared to the smallest normal's ulp.
            boolean same = Float.compare(e, a) == 0
                    || Math.abs(e - a) <= 4 * Math.max(Math.ulp(e), Math.ulp(Float.MIN_NORMAL)) && Math.signum(e) == Math.signum(a);
            assertTrue(same, what + " at " + inputs[i] + ": expected " + e + ", got " + a);
        }
    }
}
