package dev.cortado.cuda;

import dev.cortado.backend.Backends;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused optimizer steps take up to 32 parameters per launch, and no more than keep the
 * launch's elements below 2^31, which its kernels index with an int. Tensors of billions of
 * elements cost nothing on the host-only device, which keeps no memory.
 */
class MultiTensorGroupTest {
    private static final Device GPU = HostOnlyCudaProvider.DEVICE;

    private static List<Tensor> tensors(int... sizes) {
        List<Tensor> out = new ArrayList<>();
        for (int n : sizes) {
            out.add(Tensor.empty(new int[] {n}, DType.FLOAT32, GPU));
        }
        return out;
    }

    @Test
    void aLaunchTakesThirtyTwoParametersAtMost() {
        List<Tensor> small = tensors(new int[40]);
        assertEquals(32, CudaBackend.group(small, 0));
        assertEquals(8, CudaBackend.group(small, 32));
    }

    @Test
    void aLaunchStaysBelowTwoToTheThirtyOneElements() {
        List<Tensor> big = tensors(1_000_000_000, 1_000_000_000, 200_000_000, Integer.MAX_VALUE - 8, 10);
        assertEquals(2, CudaBackend.group(big, 0), "2.0e9 elements fit, 2.2e9 do not");
        assertEquals(1, CudaBackend.group(big, 2));
        assertEquals(1, CudaBackend.group(big, 3), "2^31 - 9 and 10 elements would reach 2^31");
        assertEquals(1, CudaBackend.group(big, 4));
    }

    @Test
    void sgdOverParametersOfBillionsOfElementsLaunchesOncePerGroup() {
        List<Tensor> p = tensors(1_200_000_000, 1_200_000_000, 1_200_000_000);
        List<Tensor> g = tensors(1_200_000_000, 1_200_000_000, 1_200_000_000);
        List<Tensor> b = tensors(1_200_000_000, 1_200_000_000, 1_200_000_000);
        CudaBackend backend = (CudaBackend) Backends.of(GPU);
        long before = HostOnlyCudaProvider.kernels().getOrDefault("sgd_momentum_multi_f", 0L);
        backend.sgdMomentumSteps(p, g, b, 0.1, 0.9, 0, 0, false);
        assertEquals(before + 3, HostOnlyCudaProvider.kernels().get("sgd_momentum_multi_f"));
        long adamBefore = HostOnlyCudaProvider.kernels().getOrDefault("adam_multi_f", 0L);
        backend.adamSteps(p, g, b, b, null, 1e-3, 0.9, 0.999, 1e-8, 0, false, new double[] {1, 1, 1});
        assertEquals(adamBefore + 3, HostOnlyCudaProvider.kernels().get("adam_multi_f"));
    }
}
