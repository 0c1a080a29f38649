package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default generator draws PyTorch's CPU numbers: every expected value below was printed by PyTorch 1.13 after torch.manual_seed. */
class GeneratorTest extends OnReference {
    private static float[] floats(Tensor t) {
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void randAndUniformAreBitForBitPyTorchs() {
        Cortado.manualSeed(42);
        assertArrayEquals(new float[] {0.8822692632675171f, 0.9150039553642273f, 0.38286375999450684f, 0.9593056440353394f, 0.3904482126235962f},
                floats(Tensor.rand(5)));
        Cortado.manualSeed(7);
        assertArrayEquals(new float[] {0.23492252826690674f, -0.10119682550430298f, 0.35921168327331543f, 0.3568902611732483f,
            -0.067238450050354f, 0.12506139278411865f, -0.09291398525238037f, 0.3297363519668579f, 0.06531614065170288f, 0.5512683391571045f,
            0.5549431443214417f, 0.2509351968765259f, -0.013161003589630127f, -0.09368062019348145f, 0.14509016275405884f, 0.05928593873977661f,
            0.4203804135322571f, -0.226948082447052f, 0.6699196100234985f, -0.19221347570419312f}, floats(Tensor.zeros(20).uniform_(-0.3, 0.7)));
        // Only the seed's low 32 bits count, as in PyTorch.
        Cortado.manualSeed((1L << 32) + 42);
        assertEquals(0.8822692632675171f, (float) Tensor.rand(1).item());
    }

    @Test
    void randnOfSixteenAndMoreIsPyTorchsBlockedBoxMuller() {
        Cortado.manualSeed(5);
        assertArrayEquals(new float[] {1.8423298597335815f, 0.5188871622085571f, -1.7119213342666626f, -1.7013792991638184f, 2.0194194316864014f,
            -0.26861444115638733f, -0.13071750104427338f, -1.4374138116836548f, 0.39076822996139526f, -0.0189677607268095f, -1.3526873588562012f,
            -0.7308177947998047f, 0.9879222512245178f, -0.4194079339504242f, -0.5848958492279053f, -0.782335102558136f, 2.779863119125366f,
            1.2220252752304077f, -0.33644935488700867f, -0.9650601744651794f, -0.1296626776456833f, -0.6017656326293945f, 0.14499856531620026f,
            -0.14982716739177704f, 0.8183425664901733f, -0.6632770895957947f, 0.2652658224105835f, -1.5660384893417358f, -1.6406761407852173f,
            -0.01966967061161995f, 0.22779794037342072f, -0.3985050320625305f, -1.0364670753479004f, 0.6704617738723755f, -0.1777045875787735f,
            0.4313727617263794f, 1.2417020797729492f, 2.1502583026885986f, -2.2280848026275635f, -1.2896690368652344f}, floats(Tensor.randn(40)));
        Cortado.manualSeed(3);
        assertArrayEquals(new float[] {1.7700670957565308f, 3.0796446800231934f, -0.3460504412651062f, 2.214583158493042f, 5.138068199157715f,
            3.566560983657837f, 1.499572515487671f, 2.159100294113159f, 3.2138214111328125f, 3.8338990211486816f, 4.2811713218688965f,
            1.8990702629089355f, 4.993767261505127f, 3.3775413036346436f, 9.30919075012207f, 1.5595754384994507f, 3.4553420543670654f,
            2.6157031059265137f, 3.015284538269043f, 6.058261871337891f}, floats(Tensor.zeros(20).normal_(2, 3)));
        // A hundred thousand draws: PyTorch's sum, and elements across the stream, the partial last block's among them.
        Cortado.manualSeed(11);
        Tensor big = Tensor.randn(100003);
        double sum = 0;
        for (double v : big.toDoubleArray()) {
            sum += v;
        }
        assertEquals(-372.97469821776485, sum, 1e-9);
        float[] all = floats(big);
        assertArrayEquals(new float[] {-0.5107975602149963f, 1.57270348072052f, 1.3348082304000854f, -0.6704487204551697f, -2.0657122135162354f},
                new float[] {all[0], all[17], all[50000], all[99987], all[100002]});
    }

    @Test
    void smallNormalsAreDrawnOneDoubleAtATimeWithTheSecondOfEachPairKept() {
        Cortado.manualSeed(9);
        float[] seven = {0.04472753778100014f, 1.9112390279769897f, -0.2310308963060379f, 0.3459281623363495f, 1.318028211593628f,
            0.36963701248168945f, 0.38411155343055725f};
        assertArrayEquals(seven, floats(Tensor.randn(7)));
        // Two calls of three: the third draw's pair leaves its sine for the next call, as PyTorch's generator keeps it.
        Cortado.manualSeed(9);
        float[] a = floats(Tensor.randn(3));
        float[] b = floats(Tensor.randn(3));
        assertArrayEquals(new float[] {seven[0], seven[1], seven[2], seven[3], seven[4], seven[5]},
                new float[] {a[0], a[1], a[2], b[0], b[1], b[2]});
        Cortado.manualSeed(3);
        assertArrayEquals(new float[] {4.409828186035156f, 2.5245001316070557f, 2.266934394836426f, 0.15884597599506378f, 2.138547420501709f},
                floats(Tensor.zeros(5).normal_(2, 3)));
    }

    @Test
    void randintAndRandpermArePyTorchs() {
        Cortado.manualSeed(8);
        assertArrayEquals(new long[] {4, 15, 6, 12, 16, 7, 5, 4, 7, 16}, Tensor.randint(3, 17, 10).toLongArray());
        assertArrayEquals(new long[] {208787093357L, 368362435388L, 761935466611L}, Tensor.randint(0, 1L << 40, 3).toLongArray());
        Generator g = new Generator(3);
        assertArrayEquals(new int[] {6, 0, 3, 7, 8, 5, 1, 9, 2, 4}, g.permutation(10));
        assertArrayEquals(new int[] {0, 5, 3, 4, 6, 1, 2}, g.permutation(7));
        assertMessage(() -> g.nextLong(0), "nextLong: bound must be positive, got 0");
    }

    @Test
    void multinomialIsPyTorchsWithAndWithoutReplacement() {
        Tensor w = Tensor.fromArray(new float[] {0.1f, 2.0f, 0.0f, 1.5f, 0.4f, 3.0f}, 6);
        Cortado.manualSeed(4);
        assertArrayEquals(new long[] {5, 1, 3}, w.multinomial(3, false).toLongArray());
        Cortado.manualSeed(4);
        assertArrayEquals(new long[] {5}, w.multinomial(1, false).toLongArray());
        Cortado.manualSeed(4);
        assertArrayEquals(new long[] {3}, w.multinomial(1, true).toLongArray());
        Cortado.manualSeed(4);
        assertArrayEquals(new long[] {3, 5, 1, 5, 5, 4, 3, 5}, w.multinomial(8, true).toLongArray());
        Cortado.manualSeed(2);
        Tensor rows = Tensor.rand(3, 5);
        // PyTorch: multinomial(W, 2) then multinomial(W, 4, True) of W = torch.rand(3, 5) after torch.manual_seed(2).
        assertArrayEquals(new long[] {0, 4, 0, 2, 0, 3}, rows.multinomial(2, false).toLongArray());
        assertArrayEquals(new long[] {4, 0, 1, 3, 0, 3, 0, 3, 3, 4, 4, 1}, rows.multinomial(4, true).toLongArray());
    }

    @Test
    void aLightGeneratorHasTheSameSamplersOnItsOwnStream() {
        Generator a = Generator.light(5);
        Generator b = Generator.light(5);
        assertArrayEquals(a.permutation(20), b.permutation(20), "seeded");
        assertArrayEquals(a.normal(40), b.normal(40));
        double sum = 0;
        float[] u = Generator.light(6).uniform(100_000);
        for (float v : u) {
            sum += v;
        }
        assertEquals(0.5, sum / u.length, 0.005);
        assertEquals(false, java.util.Arrays.equals(Generator.light(5).uniform(8), new Generator(5).uniform(8)), "not PyTorch's stream");
        // All 64 bits of a light seed count.
        assertEquals(false, java.util.Arrays.equals(Generator.light(5).uniform(8), Generator.light((1L << 32) + 5).uniform(8)));
    }

    @Test
    void theOtherRandomFillsArePyTorchs() {
        // PyTorch 1.13, each after torch.manual_seed(3), on 5 elements.
        Cortado.manualSeed(3);
        assertArrayEquals(new float[] {0.017351727932691574f, 0.1689547896385193f, 0.7412153482437134f, 0.09614172577857971f, 0.7040039300918579f},
                floats(Tensor.zeros(5).exponential_(2)));
        Cortado.manualSeed(3);
        assertArrayEquals(new float[] {10, 4, 1, 5, 1}, floats(Tensor.zeros(5).geometric_(0.3)));
        Cortado.manualSeed(3);
        assertArrayEquals(new float[] {-17.593225479125977f, -0.584428071975708f, 3.3108747005462646f, -2.26538348197937f, 3.0686442852020264f},
                floats(Tensor.zeros(5).cauchy_(1, 2)));
        Cortado.manualSeed(3);
        assertArrayEquals(new float[] {3.1349740028381348f, 1.8962280750274658f, 1.7703592777252197f, 1.0090664625167847f, 1.7107740640640259f},
                floats(Tensor.zeros(5).logNormal_(0.5, 0.8)));
        Cortado.manualSeed(3);
        assertArrayEquals(new long[] {19, 19, 6, 7, 7}, Tensor.zeros(new int[] {5}, DType.INT64, Cortado.defaultDevice()).random_(3, 20).toLongArray());
        Cortado.manualSeed(3);
        assertArrayEquals(new float[] {6, 8, 7, 7, 0}, floats(Tensor.zeros(5).random_(0, 10)));
        assertMessage(() -> Tensor.zeros(2).exponential_(0), "exponential_: expects lambda > 0.0, but found lambda=0.0");
        assertMessage(() -> Tensor.zeros(2).geometric_(1), "geometric_: expects p to be in (0, 1), but got p=1.0");
        assertMessage(() -> Tensor.zeros(2).random_(5, 5), "random_: expects 'from' to be less than 'to', but got from=5 >= to=5");
        assertMessage(() -> Tensor.arange(3).cauchy_(0, 1), "cauchy_: draws floats; this tensor is int64");
    }

    @Test
    void aSavedStateRepeatsTheDraws() {
        Cortado.manualSeed(8);
        Tensor.randn(3);
        Generator.State saved = Cortado.getRngState();
        float[] first = floats(Tensor.randn(5));
        float[] more = floats(Tensor.rand(700));
        Cortado.setRngState(saved);
        assertArrayEquals(first, floats(Tensor.randn(5)), "the kept second of a normal pair comes back too");
        assertArrayEquals(more, floats(Tensor.rand(700)), "across a twist of the state");
        Generator light = Generator.light(3);
        Generator.State lightState = light.getState();
        float[] a = light.uniform(4);
        light.setState(lightState);
        assertArrayEquals(a, light.uniform(4));
        assertMessage(() -> new Generator(1).setState(lightState), "setState: the state comes from a light generator, this one is PyTorch-compatible");
    }
}
