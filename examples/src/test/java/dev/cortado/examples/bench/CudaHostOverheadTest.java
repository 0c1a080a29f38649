package dev.cortado.examples.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device calls of one CUDA training step, counted on the host-only device: what a GPU step
 * costs beyond its arithmetic (each call is a launch or a driver call).
 */
class CudaHostOverheadTest {
    @Test
    void aLeNetStepMakesTheCallsItNeedsAndNoMore() {
        Map<String, Long> calls = CudaHostOverhead.callsOfOneStep(Workload.MNIST_LENET_B128);
        assertEquals(2, calls.get("conv_forward"), calls.toString());
        assertEquals(2, calls.get("conv_backward_filter"), calls.toString());
        assertEquals(1, calls.get("conv_backward_data"), "the first convolution's input needs no gradient: " + calls);
        assertEquals(0, calls.get("malloc"), "a second step should get every block from the caching allocator: " + calls);
        assertEquals(1, calls.get("kernel fill_f32"), "only the loss's seed gradient is a filled tensor; scalars go as arguments: " + calls);
        assertEquals(1, calls.get("kernel sgd_momentum_multi_f"), "one launch updates all ten parameters: " + calls);
        assertEquals(0, calls.get("copy"), "each parameter's gradient is the buffer backward made, not a copy of it: " + calls);
        assertEquals(0, calls.get("upload"), "nothing crosses to a GPU mid-step, which would wait for its queue: " + calls);
        assertEquals(1, calls.get("download"), "the loss's item() is the step's only read from the device: " + calls);
        assertEquals(1, calls.get("kernel nll_f"), "cross-entropy picks each row's target in one pass: " + calls);
        assertNull(calls.get("kernel compare_llf"), "no one-hot matrix of the targets: " + calls);
        assertEquals(2, calls.get("kernel reduce_part_f"), "each convolution's bias gradient (6 and 16 sums of 73,728 and 8,192) "
                + "is split over many blocks, not one per channel: " + calls);
    }

    @Test
    void aResNet20StepSpreadsBatchNormOverTheGpuAndFinishesItsStatisticsInOneLaunch() {
        Map<String, Long> calls = CudaHostOverhead.callsOfOneStep(Workload.CIFAR_RESNET20_B128);
        assertEquals(19, calls.get("conv_forward"), calls.toString());
        assertEquals(18, calls.get("conv_backward_data"), calls.toString());
        assertEquals(0, calls.get("malloc"), calls.toString());
        assertEquals(3, calls.get("kernel fill_f32"), "the loss's seed and the two shortcuts' zero channels: " + calls);
        assertEquals(0, calls.get("upload"), calls.toString());
        assertEquals(1, calls.get("download"), calls.toString());
        assertNull(calls.get("kernel fill_i64"), "num_batches_tracked += 1 needs no filled tensor: " + calls);
        assertEquals(19, calls.get("kernel binary_scalar_ll"), "one in-place add per batch-norm counter: " + calls);
        assertEquals(19, calls.get("kernel bn_stats_part_f"), "every layer's channels (16 of 131,072 values to 64 of 8,192 at batch 128) "
                + "are reduced in slices by many blocks, not one block each: " + calls);
        assertNull(calls.get("kernel bn_stats_f"), calls.toString());
        assertEquals(19, calls.get("kernel bn_stats_finish_f"), "one launch per layer combines the slices and finishes invstd and the "
                + "running statistics: " + calls);
        assertNull(calls.get("kernel bn_update_stats_f"), "the statistics kernels finish them themselves: " + calls);
        assertEquals(19, calls.get("kernel bn_backward_sums_part_f"), "the gradient sums are split the same way: " + calls);
        assertEquals(1, calls.get("kernel binary_scalar_ff"), calls.toString());
        assertEquals(2, calls.get("kernel sgd_momentum_multi_f"), "59 parameters, 32 per launch: " + calls);
        assertTrue(calls.get("launch") <= 216, "more launches per step than before: " + calls);
    }
}
