package dev.cortado.nn;

import dev.cortado.autograd.Gradcheck;
import dev.cortado.autograd.GradMode;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** LayerNorm and GroupNorm on the CPU, against the values and gradients PyTorch 1.13 prints for the same inputs. */
class GroupStatisticsTest {
    private static final double TOL = 2e-6;

    @BeforeAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Tensor t(double[] v, int... shape) {
        return Tensor.fromArray(v, shape, Device.CPU);
    }

    /** torch.arange(24.).reshape(2, 3, 4) ** 1.5 / 10 */
    private static Tensor layerInput() {
        return Tensor.arange(24).to(DType.FLOAT32).pow(1.5).div(10).reshape(2, 3, 4);
    }

    @Test
    void layerNormMatchesPyTorch() {
        LayerNorm ln = new LayerNorm(4);
        assertEquals("LayerNorm((4,), eps=1e-05, elementwise_affine=True)", ln.toString());
        assertEquals(List.of("weight", "bias"), List.copyOf(ln.stateDict().keySet()));
        try (var off = GradMode.off()) {
            ln.weight.copy_(t(new double[] {1, 2, 3, 4}, 4));
            ln.bias.copy_(t(new double[] {0, .1, .2, .3}, 4));
        }
        Tensor x = layerInput().requiresGrad_(true);
        Tensor y = ln.forward(x);
        assertClose("layer norm", y, t(new double[] {-1.140863299369812, -1.170387864112854, 1.0681565999984741, 6.246686935424805,
                -1.2991427183151245, -0.8778091669082642, 1.4210013151168823, 5.82418966293335, -1.3175238370895386, -0.8420971035957336,
                1.4715815782546997, 5.758846282958984, -1.3247956037521362, -0.8278294205665588, 1.4922411441802979, 5.731838703155518,
                -1.328694224357605, -0.8201369047164917, 1.5034860372543335, 5.717068672180176, -1.3311269283294678, -0.8153250217437744,
                1.5105599164962769, 5.707754135131836}, 2, 3, 4), TOL);
        y.backward(Tensor.arange(24).to(DType.FLOAT32).reshape(2, 3, 4).div(7).sub(1));
        assertClose("input gradient", x.grad(), t(new double[] {1.3937244415283203, -1.0749249458312988, -1.1516871452331543,
                0.8328886032104492, 0.3655587434768677, -0.3398716449737549, -0.35350823402404785, 0.32782065868377686,
                0.24726057052612305, -0.2368474006652832, -0.24302005767822266, 0.23260784149169922, 0.19722747802734375,
                -0.19132328033447266, -0.1949920654296875, 0.18909263610839844, 0.16843605041503906, -0.16454315185546875,
                -0.16703033447265625, 0.1631317138671875, 0.14927291870117188, -0.1464691162109375, -0.14829635620117188,
                0.14548110961914062}, 2, 3, 4), 1e-4);
        assertClose("weight gradient", ln.weight.grad(), t(new double[] {-3.6172759532928467, -1.4206533432006836, 1.9664472341537476,
                6.894008159637451}, 4), TOL);
        assertClose("bias gradient", ln.bias.grad(), t(new double[] {2.5714287757873535, 3.4285714626312256, 4.285714149475098,
                5.142857074737549}, 4), TOL);
        Tensor plain = new LayerNorm(new int[] {3, 4}, 1e-5, false).forward(layerInput());
        assertClose("over two dims, no affine", plain.flatten().narrow(0, 0, 6), t(new double[] {-1.2612946033477783, -1.1768118143081665,
                -1.0223411321640015, -0.8223090171813965, -0.5854320526123047, -0.3167479634284973}, 6), TOL);
    }

    @Test
    void groupNormMatchesPyTorch() {
        GroupNorm gn = new GroupNorm(2, 6);
        assertEquals("GroupNorm(2, 6, eps=1e-05, affine=True)", gn.toString());
        try (var off = GradMode.off()) {
            gn.weight.copy_(Tensor.arange(6).to(DType.FLOAT32).div(3).add(0.5));
            gn.bias.copy_(Tensor.arange(6).to(DType.FLOAT32).div(10));
        }
        // (torch.arange(48.).reshape(2, 6, 2, 2) % 7) * 0.3
        double[] in = new double[48];
        double[] g = new double[48];
        for (int i = 0; i < 48; i++) {
            in[i] = (i % 7) * 0.3;
            g[i] = i % 5 - 2;
        }
        Tensor x = t(in, 2, 6, 2, 2).requiresGrad_(true);
        Tensor y = gn.forward(x);
        assertClose("group norm", y, t(new double[] {-0.6994937658309937, -0.42872199416160583, -0.15795020759105682, 0.11282157897949219,
                0.7393223643302917, 1.1906086206436157, 1.641895055770874, -1.065822958946228, -0.8003512620925903, -0.16855041682720184,
                0.46325045824050903, 1.0950512886047363, 1.7607746124267578, 2.461946725845337, -1.7450850009918213, -1.0439130067825317,
                -0.3855723738670349, 0.47141560912132263, 1.3284035921096802, 2.185391426086426, 3.622811794281006, -2.4540114402770996,
                -1.4412075281143188, -0.42840367555618286, -0.061083871871232986, 0.18325175344944, 0.4275873303413391, 0.6719229817390442,
                -1.2234846353530884, -0.8162585496902466, -0.4090324938297272, -0.0018064012983813882, 0.6275875568389893,
                1.1977039575576782, 1.7678205966949463, -1.6528784036636353, -1.3858247995376587, -0.542912483215332, 0.299999862909317,
                1.1429121494293213, 2.4604523181915283, 3.4906787872314453, -2.690678596496582, -1.6604523658752441, -0.71753990650177,
                0.5000001192092896, 1.7175400257110596, 2.93507981300354}, 2, 6, 2, 2), TOL);
        y.backward(t(g, 2, 6, 2, 2));
        assertClose("input gradient", x.grad(), t(new double[] {-2.300217628479004, -1.0992481708526611, 0.10172125697135925,
                1.3026906251907349, 3.707090139389038, -2.0116636753082275, -0.2089790403842926, -0.49507251381874084, 1.9093271493911743,
                4.313726902008057, -3.811887502670288, -1.4074877500534058, -0.33889609575271606, 1.887612223625183, 4.889240741729736,
                -4.5704498291015625, -2.863328456878662, -0.11743323504924774, 2.6284618377685547, 5.374357223510742, -7.201653003692627,
                -3.1612517833709717, 0.10402964800596237, 3.3693108558654785, 1.6194472312927246, -1.962512493133545, -1.4722118377685547,
                -0.9819111824035645, 2.320417642593384, 3.3536863327026367, -2.400146007537842, -1.3668770790100098, -0.33360838890075684,
                1.242628574371338, 2.8188652992248535, -2.8377790451049805, -4.0433454513549805, -0.39568448066711426, 3.251976251602173,
                6.899637222290039, -4.749999046325684, -0.47795844078063965, -2.0715911388397217, 2.200449228286743, 7.721247673034668,
                -7.674664497375488, -2.7782442569732666, 2.1181752681732178}, 2, 6, 2, 2), 1e-4);
        assertClose("weight gradient", gn.weight.grad(), t(new double[] {2.0485451221466064, -5.3767170906066895, 4.011512279510498,
                2.7541677951812744, -2.1748781204223633, -3.633524179458618}, 6), 1e-5);
        assertClose("bias gradient", gn.bias.grad(), t(new double[] {-3, -1, 1, 3, 0, -3}, 6), 0);
    }

    @Test
    void gradientsByFiniteDifferences() {
        Device ref = ReferenceBackend.DEVICE;
        Tensor x = dev.cortado.testing.Inputs.randn(1, ref, 2, 6, 3);
        Tensor w = dev.cortado.testing.Inputs.randn(2, ref, 6);
        Tensor b = dev.cortado.testing.Inputs.randn(3, ref, 6);
        Tensor lw = dev.cortado.testing.Inputs.randn(4, ref, 6, 3);
        Gradcheck.check(in -> F.groupNorm(in[0], 3, in[1], in[2], 1e-5), x, w, b);
        Gradcheck.check(in -> F.groupNorm(in[0], 6, null, null, 1e-5), x);
        Gradcheck.check(in -> F.layerNorm(in[0], new int[] {6, 3}, in[1], null, 1e-5), x, lw);
        Gradcheck.check(in -> F.layerNorm(in[0], new int[] {3}, null, null, 1e-5), x);
    }

    @Test
    void errors() {
        assertMessage(() -> new LayerNorm(4).forward(Tensor.ones(2, 3)), "layerNorm", "(4,)", "(2, 3)");
        assertMessage(() -> new GroupNorm(2, 6).forward(Tensor.ones(2, 4, 3)), "GroupNorm(2, 6)", "(N, 6, *)", "(2, 4, 3)");
        assertMessage(() -> new GroupNorm(4, 6), "GroupNorm: num_channels must be divisible by num_groups", "num_groups=4, num_channels=6");
        assertMessage(() -> F.groupNorm(Tensor.ones(2, 6), 4, null, null, 1e-5), "groupNorm", "num_groups=4", "(2, 6)");
        assertMessage(() -> F.groupNorm(Tensor.ones(2, 6), 3, Tensor.ones(3), null, 1e-5), "groupNorm", "(6,)", "(3,)");
        assertMessage(() -> F.layerNorm(Tensor.ones(2, 6), new int[] {6}, null, Tensor.ones(5), 1e-5), "layerNorm", "(6,)", "(5,)");
        assertMessage(() -> new LayerNorm(new int[0], 1e-5, true), "LayerNorm: normalized_shape");
    }
}
