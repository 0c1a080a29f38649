package dev.cortado.nn;

import dev.cortado.models.Models;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** After the same seed, layers and whole models start from PyTorch 1.13's weights: the values below are PyTorch's after torch.manual_seed(0). */
class SeededInitTest extends OnReference {
    @Test
    void linearAndConvolutionStartFromPyTorchsBits() {
        Cortado.manualSeed(0);
        Linear fc = new Linear(3, 4);
        assertArrayEquals(new float[] {-0.004322517663240433f, 0.3097158372402191f, -0.4751853346824646f, -0.4248946011066437f,
            -0.2223689705133438f, 0.15482072532176971f, -0.011439144611358643f, 0.45777493715286255f, -0.05123639851808548f,
            0.1527741253376007f, -0.1744827926158905f, -0.11348707973957062f}, fc.weight.toFloatArray());
        assertArrayEquals(new float[] {-0.55157071352005f, -0.3823687434196472f, -0.2379971146583557f, 0.021387115120887756f},
                fc.bias.toFloatArray());
        Cortado.manualSeed(0);
        Conv2d conv = new Conv2d(2, 3, 3);
        assertArrayEquals(new float[] {-0.0017646604683250189f, 0.12644097208976746f, -0.19399359822273254f, -0.17346249520778656f},
                java.util.Arrays.copyOf(conv.weight.toFloatArray(), 4));
        assertEquals(-0.6255482046399266, sum(conv.weight), 1e-12);
        assertArrayEquals(new float[] {0.15803514420986176f, -0.13878203928470612f, 0.043921709060668945f}, conv.bias.toFloatArray());
    }

    @Test
    void aTorchvisionModelStartsFromPyTorchsWeights() {
        // torchvision 0.14's mobilenet_v3_small() after torch.manual_seed(0): the sum and absolute sum of all its parameters.
        Cortado.manualSeed(0);
        dev.cortado.nn.Module model = Models.getModel("mobilenet_v3_small");
        double s = 0;
        double abs = 0;
        for (Tensor p : model.parameters()) {
            for (double v : p.toDoubleArray()) {
                s += v;
                abs += Math.abs(v);
            }
        }
        assertEquals(6116.163317174744, s, 1e-8);
        assertEquals(92390.54483785758, abs, 1e-7);
    }

    @Test
    void truncatedNormalTakesPyTorchsDrawsAndMatchesItWithinTheLastBit() {
        // PyTorch 1.13: torch.manual_seed(0); trunc_normal_(empty(10000), 0.5, 1, -1, 1.5). The inverse erf is computed
        // differently, so elements may differ in their last bit.
        Cortado.manualSeed(0);
        Tensor t = Init.truncNormal_(Tensor.zeros(10000), 0.5, 1, -1, 1.5);
        assertEquals(3549.2359675765038, sum(t), 1e-4);
        assertArrayEquals(new float[] {0.37731072306632996f, 0.9174458980560303f, -0.6015149354934692f, -0.4578476548194885f,
            -0.010308325290679932f}, java.util.Arrays.copyOf(t.toFloatArray(), 5), 1.2e-7f);
    }

    @Test
    void theInitialisersDrawPyTorchsValues() {
        // PyTorch 1.13 after torch.manual_seed(0): sums of xavier_normal_ and kaiming_normal_(fan_out, relu) of a 20 x 30 tensor, and
        // orthogonal_ of 3 x 5 (QR computed differently: within 1e-6).
        Cortado.manualSeed(0);
        assertEquals(7.771660824961145, sum(Init.xavierNormal_(Tensor.zeros(20, 30), 1)), 1e-12);
        Cortado.manualSeed(0);
        assertEquals(12.288074205396697, sum(Init.kaimingNormal_(Tensor.zeros(20, 30), 0, Init.FanMode.FAN_OUT, "relu")), 1e-12);
        Cortado.manualSeed(0);
        assertArrayEquals(new float[] {0.522231f, -0.099441f, -0.738374f, 0.192637f, -0.367536f, -0.536479f, 0.210562f, -0.142894f, -0.358769f,
            -0.720222f, -0.440916f, 0.066261f, -0.045655f, 0.889753f, -0.086358f}, Init.orthogonal_(Tensor.zeros(3, 5), 1).toFloatArray(), 2e-6f);
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) {
            s += v;
        }
        return s;
    }
}
