package dev.cortado.tensor;

import dev.cortado.testing.OnReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FormatterTest extends OnReference {
    private static String dev() {
        return ", device='reference:0'";
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]], shape=(2, 2)" + dev() + ")",
                Tensor.tensor(new float[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("tensor([ 0.5000, -1.2500], shape=(2,)" + dev() + ")", Tensor.tensor(new double[] {0.5, -1.25}).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00], shape=(2,)" + dev() + ")", Tensor.tensor(new double[] {1e-5, 1}).toString());
        assertEquals("tensor([0, 1, 2], shape=(3,), dtype=int64" + dev() + ")", Tensor.arange(3).toString());
        assertEquals("tensor(3., shape=()" + dev() + ")", Tensor.scalar(3).toString());
        assertEquals("tensor([], shape=(0, 2)" + dev() + ")", Tensor.zeros(0, 2).toString());
        assertEquals("tensor([nan, inf], shape=(2,)" + dev() + ")", Tensor.tensor(new double[] {Double.NaN, Double.POSITIVE_INFINITY}).toString());
        // Columns as wide as the widest nonzero finite value: -0.0 and nan stand out of line, as PyTorch prints them.
        assertEquals("tensor([-0.0000, 1.5000, 0.0000], shape=(3,)" + dev() + ")", Tensor.tensor(new double[] {-0.0, 1.5, 0}).toString());
        assertEquals("tensor([-0., 1., 2.], shape=(3,)" + dev() + ")", Tensor.tensor(new double[] {-0.0, 1, 2}).toString());
        assertEquals("tensor([-0.0000e+00,        nan, 1.0000e-05], shape=(3,)" + dev() + ")",
                Tensor.tensor(new double[] {-0.0, Double.NaN, 1e-5}).toString());
        assertEquals("tensor([-1.5000,     nan], shape=(2,)" + dev() + ")", Tensor.tensor(new double[] {-1.5, Double.NaN}).toString());
    }

    @Test
    void showsAutogradState() {
        Tensor x = Tensor.ones(2).requiresGrad_(true);
        assertTrue(x.toString().endsWith("requires_grad=True)"), x.toString());
        assertTrue(x.mul(2).toString().endsWith("grad_fn=<MulBackward0>)"), x.mul(2).toString());
    }

    @Test
    void abbreviatesLargeTensors() {
        String s = Tensor.arange(1000.0, 3000.0, 1.0).reshape(40, 50).toString();
        assertTrue(s.contains("..."), s);
        assertTrue(s.startsWith("tensor([[1000., 1001., 1002.,  ..., 1047., 1048., 1049.],"), s);
        assertTrue(s.contains("[2950., 2951., 2952.,  ..., 2997., 2998., 2999.]]"), s);
        // Like PyTorch, the notation is chosen from the values shown: 0 .. 1999 spans more than 1000x.
        assertTrue(Tensor.arange(0.0, 2000.0, 1.0).toString().startsWith("tensor([0.0000e+00, 1.0000e+00,"));
        assertTrue(s.split("\n").length < 10, s);
    }
}
