package dev.cortado.examples.models;

import dev.cortado.nn.Module;
import dev.cortado.nn.Summary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notebooks' models have exactly the parameter counts their torchsummary tables print. */
class ModelSummaryTest {
    private static Summary check(Module m, long expected, int... input) {
        Summary s = Summary.of(m, input);
        assertEquals(expected, s.totalParams(), m.getClass().getSimpleName());
        assertEquals(expected, s.trainableParams());
        assertEquals(expected, m.parameterCount());
        long rows = s.rows().stream().mapToLong(Summary.Row::params).sum();
        assertEquals(expected, rows, "row sum of " + m.getClass().getSimpleName());
        return s;
    }

    @Test
    void mnistNotebook() {
        Summary fc = check(new MultiLayerPerceptron(784, new int[] {512, 256, 128}, 10), 567_434, 1, 28, 28);
        assertTrue(fc.toString().contains("Total params: 567,434"), fc.toString());
        check(new LeNet(), 106_154, 1, 28, 28);
        Summary cnn = check(new ThreeConvCnn(), 98_442, 1, 28, 28);
        String table = cnn.toString();
        assertTrue(table.contains("            Conv2d-1           [-1, 16, 28, 28]             160"), table);
        assertTrue(table.contains("Linear-"), table);
    }

    @Test
    void cifarNotebook() {
        check(new MultiLayerPerceptron(3 * 32 * 32, new int[] {350, 350}, 10), 1_201_910, 3, 32, 32);
        check(new ThreeLayerConvNet(3, 100, 100, 32, 10), 1_121_710, 3, 32, 32);
    }

    @Test
    void inductiveBiasAndFashionNotebooks() {
        check(new SimpleCnn(3, 7, 3, true), 606, 1, 28, 28);
        check(new MultiLayerPerceptron(28 * 28, new int[] {50, 10}, 3), 39_793, 1, 28, 28);
        check(new FashionConvNet(), 225_034, 1, 28, 28);
    }

    @Test
    void resnetNotebook() {
        // The CIFAR ResNet-20 with parameter-free shortcuts: 0.27 M parameters, as in the paper's table.
        assertEquals(269_722, new ResNet(3, 3, 10, true).parameterCount(false));
        assertEquals(269_722, new ResNet(3, 3, 10, false).parameterCount(false));
        assertEquals(20, ResNet.depth(3));
        assertEquals(464_154, new ResNet(5, 3, 10, true).parameterCount(false));
        dev.cortado.tensor.Tensor out = new ResNet(1, 1, 10, true).forward(dev.cortado.tensor.Tensor.randn(2, 1, 32, 32));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, 10}, out.shape());
    }
}
