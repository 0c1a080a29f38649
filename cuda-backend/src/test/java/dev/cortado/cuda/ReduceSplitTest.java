package dev.cortado.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How many blocks reduce each output: a function of the sizes alone, so results never depend on the GPU. */
class ReduceSplitTest {
    @Test
    void longReductionsWithFewOutputsAreSplit() {
        assertEquals(24, CudaBackend.splitParts(1, 100_003), "a whole tensor: 4,096 elements or more per block");
        assertEquals(18, CudaBackend.splitParts(6, 128 * 24 * 24), "LeNet's first bias gradient");
        assertEquals(32, CudaBackend.splitParts(32, 512 * 26 * 26), "at most 1,024 blocks in all");
    }

    @Test
    void shortReductionsAndManyOutputsKeepOneBlockPerOutput() {
        assertEquals(1, CudaBackend.splitParts(10, 128), "a linear layer's bias gradient");
        assertEquals(1, CudaBackend.splitParts(1, 8191), "two blocks would each take fewer than 4,096 elements");
        assertEquals(1, CudaBackend.splitParts(512, 1_000_000), "enough outputs to fill a GPU");
        assertEquals(1, CudaBackend.splitParts(0, 1_000_000));
        assertEquals(1, CudaBackend.splitParts(3, 0));
    }
}
