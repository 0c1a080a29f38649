package dev.cortado.cuda;

import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Work that a GPU does in the middle of a step must not wait for an upload (which waits for the
 * queue): counted on the host-only device, whose calls are those a GPU would get.
 */
class NoUploadTest {
    private static final Device GPU = HostOnlyCudaProvider.DEVICE;

    @Test
    void aBernoulliMaskIsDrawnByOneKernel() {
        Tensor mask = Tensor.empty(new int[] {128, 500}, DType.FLOAT32, GPU);
        Map<String, Long> before = HostOnlyCudaProvider.counts();
        long launchesBefore = HostOnlyCudaProvider.kernels().getOrDefault("bernoulli_f", 0L);
        mask.bernoulli_(0.5);
        assertEquals(0, delta(before, "upload"));
        assertEquals(1, delta(before, "launch"));
        assertEquals(launchesBefore + 1, HostOnlyCudaProvider.kernels().get("bernoulli_f"));
    }

    @Test
    void maxAlongADimHasNoUploadInItsBackwardOnceItsPositionsExist() {
        Tensor x = Tensor.zeros(new int[] {8, 37}, DType.FLOAT32, GPU).requiresGrad_(true);
        x.max(1, false).values().sum().backward();
        Map<String, Long> before = HostOnlyCudaProvider.counts();
        x.max(1, false).values().sum().backward();
        assertEquals(0, delta(before, "upload"), "the backward pass's positions 0..36 are kept on the device");
    }

    private static long delta(Map<String, Long> before, String call) {
        return HostOnlyCudaProvider.counts().get(call) - before.get(call);
    }
}
