package dev.cortado.nn;

import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Linalg;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Spectral and weight norm against PyTorch 1.13's {@code torch.nn.utils.spectral_norm} and
 * {@code weight_norm} in float64 (the constants below are its tensors and results), on the
 * double-precision reference backend.
 */
class WeightReparametrizationTest {
    @BeforeAll
    static void reference() {
        Cortado.setDefaultDevice(ReferenceBackend.DEVICE);
    }

    @AfterAll
    static void cpu() {
        Cortado.setDefaultDevice(Device.CPU);
    }

    private static Tensor t(double[] values, int... shape) {
        return Tensor.fromArray(values, shape, ReferenceBackend.DEVICE);
    }

    @Test
    void spectralNormKeepsTheWeightAsWeightOrigAndHasPyTorchsKeys() {
        Linear fc = new Linear(3, 2);
        Tensor weight = fc.weight;
        assertSame(fc, SpectralNorm.apply(fc));
        assertEquals(List.of("bias", "weight_orig", "weight_u", "weight_v"), List.copyOf(fc.stateDict().keySet()));
        assertEquals(List.of("bias", "weight_orig"), List.copyOf(fc.namedParameters().keySet()));
        assertSame(weight, fc.parameter("weight_orig"));
        assertArrayEquals(new int[] {2}, fc.buffer("weight_u").shape());
        assertArrayEquals(new int[] {3}, fc.buffer("weight_v").shape());
        assertClose("‖u‖", fc.buffer("weight_u").norm(), Tensor.scalar(1.0).to(ReferenceBackend.DEVICE), 1e-12);
    }

    @Test
    void spectralNormOfALinearLayerMatchesPyTorch() {
        Linear fc = SpectralNorm.apply(new Linear(3, 2));
        fc.set("weight_orig", t(new double[] {-0.53796551730882491, -0.24625117501954397, 0.31513503314795976, -0.37536193430143172,
                0.29487572827535974, 0.12499705718522952}, 2, 3));
        fc.set("bias", t(new double[] {-0.34787992178905125, -0.076885122080538978}, 2));
        fc.set("weight_u", t(new double[] {-0.82652196594813754, 0.56290446774317382}, 2));
        fc.set("weight_v", t(new double[] {0.32675582802734976, 0.77482337516425248, -0.54118330180192831}, 3));
        Tensor x = t(new double[] {0.29896084440536186, 0.41921865516194434, -0.079854320808396495, 0.92641082541519204, 0.81567751692199564,
                0.49518900821919865, -0.16431697802558881, -0.67796219768741284, -1.0591074432194063, 0.74769665894497583,
                0.23891741688324197, -0.39215022932849281}, 4, 3);
        Tensor out = fc.call(x);
        Tensor expected = t(new double[] {-0.84650315532524245, -0.074441678360506344, -1.284321765161019, -0.15501346305981298,
                -0.48306724547039243, -0.54343027170400093, -1.355800867699263, -0.52378033886333453}, 4, 2);
        assertClose("output", out, expected, 1e-12);
        assertClose("u after one power iteration", fc.buffer("weight_u"), t(new double[] {-0.99996262413304426, -0.0086458277195522355}, 2),
                1e-12);
        assertClose("v after one power iteration", fc.buffer("weight_v"),
                t(new double[] {0.48962205405912762, 0.77534432648687168, -0.39888772801822331}, 3), 1e-12);
        out.pow(2).sum().backward();
        assertClose("weight_orig's gradient", fc.parameter("weight_orig").grad(), t(new double[] {-2.193318935213294, 4.683221704699001,
                -3.2532940605368603, -1.5624099245866856, 0.3774656541202781, 2.4062258689280585}, 2, 3), 1e-11);
        // In evaluation mode u and v stay, so repeated calls agree; PyTorch gives the same output again.
        fc.eval();
        Tensor u = fc.buffer("weight_u").clone();
        assertClose("evaluation output", fc.call(x), expected, 1e-12);
        assertClose("evaluation output again", fc.call(x), expected, 1e-12);
        assertClose("u in evaluation", fc.buffer("weight_u"), u, 0);
    }

    @Test
    void spectralNormOfATransposedConvolutionTakesRowsAlongDimOne() {
        ConvTranspose2d up = SpectralNorm.apply(new ConvTranspose2d(2, 3, 2));
        assertArrayEquals(new int[] {3}, up.buffer("weight_u").shape());
        assertArrayEquals(new int[] {8}, up.buffer("weight_v").shape());
        up.set("weight_orig", t(new double[] {-0.038963705173368161, 0.040268678419945775, 0.037605633498022532, 0.12339204151830371,
                0.19551185501519372, -0.26455693262460028, -0.28622582475451419, -0.23221772976133906, -0.21257739830309955,
                0.20809984108922705, -0.181565071882931, -0.02431530754483165, -0.0088710519681753485, 0.23764991151412679,
                0.030478570874777268, -0.063726164656915038, -0.060928583245079354, 0.052885306724476763, -0.091369270690373358,
                -0.073062782306041282, 0.084260290004223123, 0.048000238989282365, -0.11665997153229664, -0.25055596453007317}, 2, 3, 2, 2));
        up.set("bias", t(new double[] {0.10414064736291896, -0.044105575136575398, 0.14075254008892729}, 3));
        up.set("weight_u", t(new double[] {0.15272579723332075, -0.6020542269483542, -0.7837126633359105}, 3));
        up.set("weight_v", t(new double[] {-0.052842085270623312, -0.6400968647924058, -0.34098303903591221, 0.56625921749224561,
                -0.34991881322873464, 0.13475905059791848, -0.053522583865194415, 0.084243331184272185}, 8));
        Tensor x = t(new double[] {0.66512583763273314, 0.37571808597990936, -0.082915136909184672, -0.1254799338763132, 1.9214752582868229,
                -0.0088897475428924566, 0.047744694369147009, 0.55966797100750543}, 1, 2, 2, 2);
        Tensor out = up.call(x);
        assertClose("output", out, t(new double[] {0.012620452217437697, 1.1029543781670956, 0.13187074897605019, 0.28816286041987504,
                0.064545095701175656, 0.47668510189008734, 0.10059820889308645, 0.10214982951267323, -0.0048212215668978903,
                -0.016481566394375473, -0.044844496440312215, -0.25685594314108329, -0.8643968133553982, -0.97236494682333829,
                -0.09481531897101339, -0.0028416389961209571, -0.042944249253503895, -0.069141302167234756, 0.18445201470267247,
                0.46035141115823525, 0.30640464334119122, -0.54791651457810908, -0.93700835390001913, 0.12763742147500998,
                0.1609575338098404, 0.029008572188504209, -0.1514751018069328}, 1, 3, 3, 3), 1e-12);
        assertClose("u", up.buffer("weight_u"), t(new double[] {0.067657574639981538, -0.71691493725237798, -0.69386989078519212}, 3), 1e-12);
        out.pow(2).sum().backward();
        assertClose("weight_orig's gradient", up.parameter("weight_orig").grad(), t(new double[] {1.5409223595327126, 3.0522775628192491,
                -0.096274067008701447, 0.39877589217046849, 2.0219671143787146, -0.072468405924971543, 5.8305182137357816,
                2.5880535916710925, 3.2271035115738425, 2.1271081501361468, 6.3722099538208603, 2.8879741242041823, 0.36283788197278766,
                10.270127898920036, 2.183923268273718, -0.14700299218874968, -3.5682809009991163, -1.797062206741276, -2.5147018073159915,
                -1.0665532319312998, -1.763526651929191, 2.8877366942860956, 0.13099163053256646, -1.1942827378043619}, 2, 3, 2, 2), 1e-11);
    }

    @Test
    void powerIterationReachesTheLargestSingularValue() {
        Conv2d conv = SpectralNorm.apply(new Conv2d(3, 4, 3));
        Tensor x = Tensor.randn(1, 3, 5, 5);
        for (int i = 0; i < 60; i++) {
            conv.call(x);
        }
        Tensor sigma = Linalg.svdvals(conv.parameter("weight_orig").detach().reshape(4, -1)).narrow(0, 0, 1);
        assertClose("weight = weight_orig / σ", conv.weight.detach(), conv.parameter("weight_orig").detach().div(sigma), 1e-9);
        assertClose("the normalised weight's σ", Linalg.svdvals(conv.weight.detach().reshape(4, -1)).narrow(0, 0, 1),
                t(new double[] {1}, 1), 1e-9);
    }

    @Test
    void weightNormOfAConvolutionMatchesPyTorch() {
        Conv2d conv = new Conv2d(2, 2, 2);
        Tensor before = conv.weight.detach().clone();
        WeightNorm.apply(conv);
        assertEquals(List.of("bias", "weight_g", "weight_v"), List.copyOf(conv.stateDict().keySet()));
        assertArrayEquals(new int[] {2, 1, 1, 1}, conv.parameter("weight_g").shape());
        assertClose("g · v / ‖v‖ is the weight it started from", conv.weight, before, 1e-12);
        conv.set("weight_v", t(new double[] {-0.22866923510700096, 0.090051464169990061, 0.34044839046648051, 0.33051329558267722,
                -0.24509878482255723, 0.075842504464723862, 0.0020504192500643672, -0.3455535848413126, -0.3438681484359335,
                0.20777072976983929, -0.27379600398510595, 0.10236191138828725, 0.28521165722772479, 0.31178361461861387,
                -0.34769081061333201, -0.13726738776158384}, 2, 2, 2, 2));
        conv.set("weight_g", t(new double[] {1.0292011622967963, 0.37587968143084133}, 2, 1, 1, 1));
        conv.set("bias", t(new double[] {-0.042496355557909274, 0.30702759234409727}, 2));
        Tensor x = t(new double[] {-1.4001587464547309, 0.17976726362776538, -0.50000851132113311, 0.90002103939569034, -0.28177923130199201,
                0.76469093926584109, -0.91818923800743135, 0.30848423447199419, -2.320817362724513, -1.7434889890357259,
                -0.47703144143768539, 0.50756442101043164, -0.081059569369690762, 0.8344118937661259, -0.46841218084266462,
                -1.022832323394181, 0.14246214486679079, 0.0063106597165091304}, 1, 2, 3, 3);
        Tensor out = conv.call(x);
        assertClose("output", out, t(new double[] {0.93593566375326076, 0.54199766658781789, -0.65748692428112765, -1.1985009235038979,
                0.062631043247138224, 0.20007638980556364, 0.55105276765260958, 0.29467357977658926}, 1, 2, 2, 2), 1e-12);
        out.pow(2).sum().backward();
        assertClose("g's gradient", conv.parameter("weight_g").grad(), t(new double[] {5.8732242598208471, 0.50082582511126339}, 2, 1, 1, 1),
                1e-11);
        assertClose("v's gradient", conv.parameter("weight_v").grad(), t(new double[] {-1.4651222597386613, -3.6581527909071108,
                -1.6004443895951745, 3.9445023917786446, -5.364250266862304, -1.4495873341956569, 2.608094863174951, 5.7143864295669893,
                0.47574330708018475, -0.087930841914516278, -0.3238745522832126, -0.41264100101844536, -0.098432935227058677,
                0.28959507230551168, -0.24396880518535488, 0.084629721318585441}, 2, 2, 2, 2), 1e-11);
    }

    @Test
    void weightNormOverTheWholeTensorOrAnotherDim() {
        Linear fc = WeightNorm.apply(new Linear(3, 4), "weight", -1);
        assertArrayEquals(new int[] {}, fc.parameter("weight_g").shape());
        assertClose("g is ‖W‖", fc.parameter("weight_g"), fc.parameter("weight_v").detach().norm(), 1e-12);
        Linear rows = WeightNorm.apply(new Linear(3, 4), "weight", 1);
        assertArrayEquals(new int[] {1, 3}, rows.parameter("weight_g").shape());
        assertClose("column norms", rows.parameter("weight_g"),
                rows.parameter("weight_v").detach().norm(2, new int[] {0}, true), 1e-12);
    }

    @Test
    void removeMakesTheLastWeightAPlainParameterAgain() {
        Linear fc = SpectralNorm.apply(new Linear(3, 2));
        Tensor x = Tensor.randn(4, 3);
        fc.call(x);
        Tensor normalised = fc.weight.detach().clone();
        SpectralNorm.remove(fc);
        assertEquals(List.of("bias", "weight"), List.copyOf(fc.stateDict().keySet()));
        assertSame(fc.parameter("weight"), fc.weight);
        assertClose("weight", fc.weight, normalised, 1e-12);
        assertClose("no hook is left", fc.call(x), F.linear(x, normalised, fc.bias), 1e-12);

        Conv2d conv = WeightNorm.apply(new Conv2d(2, 3, 3));
        Tensor weight = conv.weight.detach().clone();
        WeightNorm.remove(conv);
        assertEquals(List.of("bias", "weight"), List.copyOf(conv.stateDict().keySet()));
        assertClose("weight", conv.parameter("weight"), weight, 1e-12);
        // Applied again after removal, it starts from the plain weight.
        WeightNorm.apply(conv);
        assertClose("reapplied", conv.weight, weight, 1e-12);
    }

    @Test
    void theWeightOfTheLastCallOutlivesAMemoryScopeAndTheStateDictRoundTrips() {
        Linear fc = SpectralNorm.apply(new Linear(5, 3));
        Tensor x = Tensor.randn(2, 5);
        Tensor out;
        try (var step = MemoryScope.open()) {
            out = step.handOut(fc.call(x).detach());
        }
        Tensor w = fc.weight.detach().clone();
        assertClose("output", out, F.linear(x, w, fc.bias), 1e-12);
        Linear copy = SpectralNorm.apply(new Linear(5, 3));
        copy.loadStateDict(fc.stateDict(), true);
        copy.eval();
        fc.eval();
        assertClose("a copy loaded from the state dict", copy.call(x), fc.call(x), 1e-12);
        assertNotSame(copy.buffer("weight_u"), fc.buffer("weight_u"));
    }

    @Test
    void aCheckpointOfTorchParametrizationsLoadsUnderSpectralNormsKeys() {
        Sequential saved = new Sequential(SpectralNorm.apply(new Conv2d(1, 2, 3)), new Flatten(), SpectralNorm.apply(new Linear(18, 3)));
        // The same tensors under torch.nn.utils.parametrizations.spectral_norm's keys, root and nested.
        java.util.Map<String, Tensor> torch = new java.util.LinkedHashMap<>();
        saved.stateDict().forEach((k, v) -> torch.put(k.replace("weight_orig", "parametrizations.weight.original")
                .replace("weight_u", "parametrizations.weight.0._u").replace("weight_v", "parametrizations.weight.0._v"), v));
        assertEquals(List.of("0.bias", "0.parametrizations.weight.original", "0.parametrizations.weight.0._u", "0.parametrizations.weight.0._v",
                "2.bias", "2.parametrizations.weight.original", "2.parametrizations.weight.0._u", "2.parametrizations.weight.0._v"),
                List.copyOf(torch.keySet()));
        Sequential loaded = new Sequential(SpectralNorm.apply(new Conv2d(1, 2, 3)), new Flatten(), SpectralNorm.apply(new Linear(18, 3)));
        assertMessage(() -> loaded.loadStateDict(torch, true), "StateDicts.fromParametrizations(state) gives them SpectralNorm's keys");
        loaded.loadStateDict(StateDicts.fromParametrizations(torch), true);
        saved.eval();
        loaded.eval();
        Tensor x = Tensor.randn(2, 1, 5, 5);
        assertClose("the loaded model", loaded.call(x), saved.call(x), 0);
        java.util.Map<String, Tensor> rootState = StateDicts.fromParametrizations(java.util.Map.of("parametrizations.weight.original",
                Tensor.ones(2, 2), "myparametrizations.weight.original", Tensor.ones(1)));
        assertEquals(java.util.Set.of("weight_orig", "myparametrizations.weight.original"), rootState.keySet(), "a root key, and a name that only ends alike");
    }

    @Test
    void badUsesAreRefusedByName() {
        Linear fc = SpectralNorm.apply(new Linear(3, 2));
        assertMessage(() -> SpectralNorm.apply(fc), "SpectralNorm: Linear's weight is already reparametrized by SpectralNorm; remove that first");
        assertMessage(() -> WeightNorm.apply(fc), "WeightNorm: Linear's weight is already reparametrized by SpectralNorm");
        assertMessage(() -> WeightNorm.remove(fc), "WeightNorm.remove: Linear's weight has no WeightNorm (it has SpectralNorm)");
        assertMessage(() -> SpectralNorm.remove(new Linear(3, 2)), "SpectralNorm.remove: Linear's weight has no SpectralNorm");
        assertMessage(() -> SpectralNorm.apply(new Linear(3, 2), "weights", 1, 1e-12), "SpectralNorm: Linear has no parameter \"weights\"; it has [weight, bias]");
        assertMessage(() -> SpectralNorm.apply(new Linear(3, 2), "weight", 0, 1e-12), "nPowerIterations must be positive, got 0");
        assertMessage(() -> SpectralNorm.apply(new Linear(3, 2), "weight", 1, 1e-12, 2), "SpectralNorm: dim 2 is out of range for weight of shape (2, 3)");
        assertMessage(() -> WeightNorm.apply(new Linear(3, 2), "weight", -2), "WeightNorm: dim -2 is out of range", "or -1 for the whole tensor");
        assertMessage(() -> WeightNorm.apply(new BatchNorm2d(3)), "WeightNorm: BatchNorm2d.weight is final", "declare it without final");
        assertMessage(() -> WeightNorm.apply(new Linear(3, 2), "bias", 0), "WeightNorm: Linear.bias is final");
        Module noField = new Module() {
            {
                registerParameter("scale", Tensor.ones(3));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(parameter("scale"));
            }
        };
        assertMessage(() -> WeightNorm.apply(noField, "scale", 0), "has no field \"scale\" for forward to read the recomputed tensor from");
        // A refused application leaves the module as it was.
        Linear plain = new Linear(3, 2);
        assertMessage(() -> SpectralNorm.apply(plain, "weight", 1, 1e-12, 5), "out of range");
        assertEquals(List.of("weight", "bias"), List.copyOf(plain.stateDict().keySet()));
    }
}
