package dev.cortado.examples.models;

import dev.cortado.nn.CrossEntropyLoss;
import dev.cortado.nn.Module;
import dev.cortado.optim.SGD;
import dev.cortado.tensor.Cortado;
import dev.cortado.tensor.MemoryScope;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A seed fixes a training run's numbers whether or not the JIT has compiled the kernels yet: the
 * same LeNet steps give bit-identical weights in a fresh JVM and after hundreds of steps. Vector
 * lanes of exp, and lane sums, once rounded differently when compiled, so two runs of one seed
 * drifted apart.
 */
class JitIndependenceTest {
    private static float[] train(int steps) {
        Cortado.manualSeed(3);
        Module m = new LeNet();
        SGD opt = new SGD(m.parameters(), 0.1, 0.9);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Tensor x = Tensor.randn(64, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, 64);
        for (int s = 0; s < steps; s++) {
            try (var scope = MemoryScope.open()) {
                opt.zeroGrad();
                loss.forward(m.forward(x), y).backward();
                opt.step();
            }
        }
        List<Float> all = new ArrayList<>();
        for (Tensor p : m.parameters()) {
            for (float v : p.toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void aSeedGivesTheSameWeightsBeforeAndAfterTheKernelsAreCompiled() {
        float[] cold = train(3);
        train(400);
        assertArrayEquals(cold, train(3), "weights after three steps, cold JVM against warmed-up JVM");
    }
}
