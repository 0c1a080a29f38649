package dev.cortado.cuda.driver;

import org.junit.jupiter.api.Test;

import static dev.cortado.testing.Inputs.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A convolution's description for cuDNN: its element counts, and channels that groups must divide. */
class ConvShapeTest {
    @Test
    void countsTheElementsOfEachTensor() {
        // 2 images of 6 × 9 × 11, 12 filters of 3 groups (2 input channels each) of 3 × 5, output 7 × 4.
        ConvShape s = new ConvShape(2, 6, 9, 11, 12, 3, 5, 1, 0, 1, 2, 1, 1, 3, 7, 4);
        assertEquals(2L * 6 * 9 * 11, s.inputElements());
        assertEquals(12L * 2 * 3 * 5, s.weightElements());
        assertEquals(2L * 12 * 7 * 4, s.outputElements());
    }

    @Test
    void groupsMustDivideBothChannelCounts() {
        assertMessage(() -> new ConvShape(1, 6, 4, 4, 4, 1, 1, 0, 0, 1, 1, 1, 1, 3, 4, 4), "conv2d", "6 input and 4 output", "groups = 3");
        assertMessage(() -> new ConvShape(1, 4, 4, 4, 6, 1, 1, 0, 0, 1, 1, 1, 1, 3, 4, 4), "conv2d", "groups = 3");
    }
}
