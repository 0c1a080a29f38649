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

    private static String printed(PrintOptions options, double... values) {
        PrintOptions before = Cortado.printOptions();
        Cortado.setPrintOptions(options);
        try {
            String s = Tensor.tensor(values).toString();
            return s.substring(0, s.indexOf(", shape=")) + ")";
        } finally {
            Cortado.setPrintOptions(before);
        }
    }

    /** What PyTorch 1.13 prints after torch.set_printoptions(...) for the same values; numbers round half to even, as Python's format. */
    @Test
    void followsPrintOptionsAsPyTorch() {
        PrintOptions d = PrintOptions.DEFAULT;
        assertEquals("tensor([0.0312, 1.0000])", printed(d, 0.03125, 1.0), "0.03125 is a tie, rounded to even");
        assertEquals("tensor([2.5000, 0.5000])", printed(d, 2.5, 0.5));
        assertEquals("tensor([-0.0000e+00,  1.5000e+00, -1.0000e-05])", printed(d, -0.0, 1.5, -0.00001));
        assertEquals("tensor([1.23, 2.50])", printed(d.precision(2), 1.23456, 2.5));
        assertEquals("tensor([1.00e-05, 1.00e+00])", printed(d.precision(2), 1e-5, 1));
        assertEquals("tensor([    0.0000,     1.0000])", printed(d.sciMode(false), 1e-5, 1), "the width of the notation PyTorch would have picked");
        assertEquals("tensor([1000000000.,         1.])", printed(d.sciMode(false), 1e9, 1));
        assertEquals("tensor([1.0000e+00, 2.0000e+00])", printed(d.sciMode(true), 1, 2));
        assertEquals("tensor([5.0000e-01, -2.0000e+00, 0.0000e+00])", printed(d.sciMode(true), 0.5, -2, 0));
        assertEquals("tensor([2, 2, 2])", printed(d.precision(0), 1.5, 2.25, 2.5));
        assertEquals("tensor([2e+00, 2e+02])", printed(d.precision(0).sciMode(true), 1.5, 250));
        double[] sevenths = new double[12];
        for (int i = 0; i < 12; i++) {
            sevenths[i] = (float) (i / 7.0);
        }
        assertEquals("tensor([0.0000, 0.1429,\n        0.2857, 0.4286,\n        0.5714, 0.7143,\n        0.8571, 1.0000,\n"
                + "        1.1429, 1.2857,\n        1.4286, 1.5714])", printed(d.lineWidth(30), sevenths));
        Cortado.setPrintOptions(d.threshold(5).edgeItems(1));
        try {
            assertEquals("tensor([0,  ..., 9], shape=(10,), dtype=int64" + dev() + ")", Tensor.arange(10).toString());
        } finally {
            Cortado.setPrintOptions(d);
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> d.precision(-1));
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
