package dev.cortado.nn;

import dev.cortado.tensor.Tensor;
import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static dev.cortado.autograd.Gradcheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** normalize, cosine_similarity and pairwise_distance against PyTorch 1.13, zero and tiny vectors included. */
class DistancesTest extends OnReference {
    private static Tensor a() {
        return Tensor.fromArray(new float[] {1, 2, 2, 0, 0, 0, 1e-5f, 0, 0}, 3, 3).requiresGrad_(true);
    }

    private static final Tensor B = Tensor.fromArray(new float[] {2, 0, 1, 1, 1, 1, 1e-5f, 1e-5f, 0}, 3, 3);

    private static void near(double[] expected, Tensor actual) {
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[i], got[i], 2e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void cosineSimilarityGivesAZeroVectorPyTorchsGradient() {
        Tensor a = a();
        Tensor c = F.cosineSimilarity(a, B);
        near(new double[] {0.596284806728363, 0, 0.7071067690849304}, c);
        c.sum().backward();
        near(new double[] {0.2318885326385498, -0.13250772655010223, 0.016563475131988525, 57735028, 57735028, 57735028, 0, 70710.6796875, 0},
                a.grad());
    }

    @Test
    void normalizeAndPairwiseDistance() {
        Tensor a = a();
        Tensor n = F.normalize(a);
        near(new double[] {0.3333333432674408, 0.6666666865348816, 0.6666666865348816, 0, 0, 0, 1, 0, 0}, n);
        n.mul(Tensor.arange(0.0, 9, 1).reshape(3, 3)).sum().backward();
        near(new double[] {-0.222222238779068, -0.11111113429069519, 0.2222222089767456, 3e12, 4e12, 5e12, 0, 700000, 800000}, a.grad());
        Tensor b = a();
        Tensor d = F.pairwiseDistance(b, B);
        near(new double[] {2.449490547180176, 1.7320491075515747, 9.11043298401637e-06}, d);
        d.sum().backward();
        near(new double[] {-0.4082477390766144, 0.816496729850769, 0.40824854373931885, -0.5773502588272095, -0.5773502588272095,
            -0.5773502588272095, 0.10976427048444748, -0.9878783226013184, 0.10976427048444748}, b.grad());
        assertArrayEquals(new double[] {3 / 7.0, 4 / 7.0}, F.normalize(Tensor.fromArray(new float[] {3, 4}, 1, 2), 1, 1, 1e-12).toDoubleArray(), 1e-7);
        check(in -> F.cosineSimilarity(in[0], in[1], 0, 1e-8).add(F.pairwiseDistance(in[0], in[1]).sum()), Tensor.randn(4, 3), Tensor.randn(4, 3));
    }

    @Test
    void shapesThatDoNotBroadcastAreRefusedByTheFunctionsName() {
        dev.cortado.testing.Inputs.assertMessage(() -> F.cosineSimilarity(Tensor.randn(2, 3), Tensor.randn(2, 4)),
                "cosine_similarity: shapes (2, 3) and (2, 4) cannot be broadcast");
        dev.cortado.testing.Inputs.assertMessage(() -> F.pairwiseDistance(Tensor.randn(2, 3), Tensor.randn(3, 3)),
                "pairwise_distance: shapes (2, 3) and (3, 3) cannot be broadcast");
    }

    @Test
    void cosineSimilarityAndPairwiseDistanceLayers() {
        Tensor x1 = Tensor.fromArray(new float[] {1, 2, 3, 0, -1, 2}, 2, 3);
        Tensor x2 = Tensor.fromArray(new float[] {2, 0, 1, 1, 1, 1}, 2, 3);
        // PyTorch 1.13's nn.CosineSimilarity(), nn.CosineSimilarity(0), nn.PairwiseDistance(), nn.PairwiseDistance(1.0, 0, True).
        near(new double[] {0.5976142883300781, 0.25819888710975647}, new CosineSimilarity().forward(x1, x2));
        near(new double[] {0.8944271802902222, -0.4472135901451111, 0.9805806875228882}, new CosineSimilarity(0, 1e-8).forward(x1, x2));
        near(new double[] {3.0000009536743164, 2.449488878250122}, new PairwiseDistance().forward(x1, x2));
        Tensor l1 = new PairwiseDistance(1, 0, true).forward(x1, x2);
        assertArrayEquals(new int[] {2, 1}, l1.shape());
        near(new double[] {5, 4}, l1);
        org.junit.jupiter.api.Assertions.assertEquals("CosineSimilarity()", new CosineSimilarity().toString());
        dev.cortado.testing.Inputs.assertMessage(() -> new PairwiseDistance().forward(x1), "PairwiseDistance: takes two inputs");
    }
}
