package dev.cortado.cuda.driver;

import dev.cortado.cuda.CudaEvent;
import dev.cortado.tensor.ConvOptions;
import dev.cortado.tensor.Convolution;
import dev.cortado.tensor.DType;
import dev.cortado.tensor.Device;
import dev.cortado.tensor.Tensor;
import dev.cortado.testing.ReferenceBackend;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.cortado.testing.Inputs.assertClose;
import static dev.cortado.testing.Inputs.assertMessage;
import static dev.cortado.testing.Inputs.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error paths of the driver package, which a healthy GPU never takes, on the fake CUDA stack
 * (only in the build's fake-CUDA run): faults injected into it, and its own checks of device
 * memory, make library calls fail, and the error must name the call, the library's status and its
 * text, and leave the device usable.
 */
@ExtendWith(FakeCuda.class)
class FakeCudaFaultsTest {
    private static final Device GPU = Device.cuda();
    private static final Device REF = ReferenceBackend.DEVICE;
    private static final String CUDART = "libcudart.so.13";
    private static final String DRIVER = "libcuda.so.1";

    private static Tensor ones(int n) {
        return Tensor.ones(new int[] {n}, DType.FLOAT32, GPU);
    }

    @Test
    void aRuntimeErrorNamesTheCallAndIsClearedAfterwards() {
        FakeCuda.failOnce(CUDART, "cudaMemcpy", cudart.cudaErrorInvalidValue);
        assertMessage(() -> Tensor.fromArray(new float[] {1, 2, 3}, new int[] {3}, REF).to(GPU),
                "cudaMemcpy", "failed: fake cudart error 1 (cudaError 1)");
        assertEquals(cudart.cudaSuccess, cudart.cudaGetLastError(), "the error was cleared, so no later check reports it again");
        Tensor x = Tensor.fromArray(new float[] {1, 2, 3}, new int[] {3}, REF).to(GPU);
        assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray(), "the next copy works");
    }

    @Test
    void aFailedLaunchNamesTheKernelItsGridAndTheDriverError() {
        Tensor a = ones(1000);
        FakeCuda.failOnce(DRIVER, "cuLaunchKernel", cudart.CUDA_ERROR_LAUNCH_FAILED);
        assertMessage(() -> a.add(a), "cuLaunchKernel(", "grid ", "block ", "failed: fake driver error 719 (CUresult 719)");
        assertEquals(2000.0, a.add(a).sum().item(), "the next launch runs");
    }

    @Test
    void aCublasErrorNamesTheCallAndStatus() {
        Tensor a = randn(1, GPU, 4, 5);
        Tensor b = randn(2, GPU, 5, 3);
        FakeCuda.failOnce("libcublas.so.13", "cublasSgemmStridedBatched", cublas.CUBLAS_STATUS_EXECUTION_FAILED);
        assertMessage(() -> a.matmul(b), "cublasSgemmStridedBatched", "failed: fake cublas status 13 (cublasStatus 13)");
        assertClose("matmul after the error", a.matmul(b).to(REF), a.to(REF).matmul(b.to(REF)), 1e-5);
    }

    @Test
    void aCudnnErrorNamesTheCallAndTheShape() {
        Tensor x = randn(3, GPU, 1, 2, 6, 6);
        Tensor w = randn(4, GPU, 3, 2, 3, 3);
        Convolution.conv2d(x, w, null, ConvOptions.DEFAULT); // chooses the algorithm, so the next call goes straight to the pass
        FakeCuda.failOnce("libcudnn_cnn.so.9", "cudnnConvolutionForward", cudnn.CUDNN_STATUS_EXECUTION_FAILED);
        assertMessage(() -> Convolution.conv2d(x, w, null, ConvOptions.DEFAULT), "cudnnConvolutionForward(", "n=1, c=2, h=6, w=6",
                "failed: fake cudnn status 5000 (cudnnStatus 5000)");
    }

    /** cuDNN's find ran out of memory: the allocator's cache is emptied and the find tried once more, and only then is it an error. */
    @Test
    void aFindThatRunsOutOfMemoryIsTriedOnceMore() {
        Tensor x = randn(5, GPU, 1, 3, 7, 7);
        Tensor w = randn(6, GPU, 2, 3, 3, 3);
        FakeCuda.failOnce("libcudnn_cnn.so.9", "cudnnFindConvolutionForwardAlgorithm", cudnn.CUDNN_STATUS_ALLOC_FAILED);
        Tensor y = Convolution.conv2d(x, w, null, ConvOptions.DEFAULT);
        assertClose("conv2d after a retried find", y.to(REF), Convolution.conv2d(x.to(REF), w.to(REF), null, ConvOptions.DEFAULT), 1e-5);

        Tensor x2 = randn(7, GPU, 1, 3, 8, 8);
        FakeCuda.fail("libcudnn_cnn.so.9", "cudnnFindConvolutionForwardAlgorithm", cudnn.CUDNN_STATUS_ALLOC_FAILED, 2);
        assertMessage(() -> Convolution.conv2d(x2, w, null, ConvOptions.DEFAULT), "cudnnFindConvolutionForwardAlgorithm(", "(cudnnStatus 4003)");
    }

    /** Each direction's find may report only algorithms that cannot run; the error names the direction and the shape. */
    @Test
    void aFindWithNoUsableAlgorithmNamesTheDirection() {
        String cnn = "libcudnn_cnn.so.9";
        Tensor w = randn(8, GPU, 2, 3, 3, 3);
        FakeCuda.failOnce(cnn, "cudnnFindConvolutionForwardAlgorithm.results", cudnn.CUDNN_STATUS_NOT_SUPPORTED);
        assertMessage(() -> Convolution.conv2d(randn(9, GPU, 1, 3, 9, 9), w, null, ConvOptions.DEFAULT),
                "cuDNN found no float32 forward algorithm for", "n=1, c=3, h=9, w=9");

        Tensor x = randn(10, GPU, 1, 3, 10, 10).requiresGrad_(true);
        FakeCuda.failOnce(cnn, "cudnnFindConvolutionBackwardDataAlgorithm.results", cudnn.CUDNN_STATUS_NOT_SUPPORTED);
        assertMessage(() -> Convolution.conv2d(x, w, null, ConvOptions.DEFAULT).sum().backward(), "cuDNN found no float32 backward-data algorithm for");

        Tensor wg = randn(11, GPU, 2, 3, 3, 3).requiresGrad_(true);
        FakeCuda.failOnce(cnn, "cudnnFindConvolutionBackwardFilterAlgorithm.results", cudnn.CUDNN_STATUS_NOT_SUPPORTED);
        assertMessage(() -> Convolution.conv2d(randn(12, GPU, 1, 3, 11, 11), wg, null, ConvOptions.DEFAULT).sum().backward(),
                "cuDNN found no float32 backward-filter algorithm for");
    }

    /** With deterministic convolutions on, a find that reports only algorithms of varying order is an error; off, they run. */
    @Test
    void deterministicConvolutionsPassOverAlgorithmsOfVaryingOrder() {
        String cnn = "libcudnn_cnn.so.9";
        Tensor w = randn(13, GPU, 2, 3, 3, 3);
        try {
            dev.cortado.cuda.Cuda.setDeterministic(true);
            FakeCuda.failOnce(cnn, "cudnnFindConvolutionForwardAlgorithm.nondeterministic", 1);
            assertMessage(() -> Convolution.conv2d(randn(14, GPU, 1, 3, 12, 12), w, null, ConvOptions.DEFAULT),
                    "cuDNN found no float32 deterministic forward algorithm for", "n=1, c=3, h=12, w=12");
        } finally {
            dev.cortado.cuda.Cuda.setDeterministic(false);
        }
        FakeCuda.failOnce(cnn, "cudnnFindConvolutionForwardAlgorithm.nondeterministic", 1);
        assertEquals(2 * 11 * 11, Convolution.conv2d(randn(15, GPU, 1, 3, 13, 13), w, null, ConvOptions.DEFAULT).numel());
    }

    @Test
    void anEventStillRunningIsNotDoneAndNotAnError() {
        try (CudaEvent e = CudaEvent.create(0)) {
            e.record();
            FakeCuda.failOnce(CUDART, "cudaEventQuery", cudart.cudaErrorNotReady);
            assertFalse(e.query());
            assertEquals(cudart.cudaSuccess, cudart.cudaGetLastError(), "the not-ready status is not left behind as an error");
            assertTrue(e.query());
        }
    }

    @Test
    void aModuleTheDriverRefusesNamesTheImageAndForPtxTheVersions() {
        String source = FakeCuda.kernelsSource();
        FakeCuda.failOnce(DRIVER, "cuModuleLoadData", cudart.CUDA_ERROR_UNSUPPORTED_PTX_VERSION);
        assertMessage(() -> new KernelModule("cortado_kernels", source, 9, 0), "cuModuleLoadData(cortado_kernels, sm_90 CUBIN)",
                "the driver is older than NVRTC 13.1");
        FakeCuda.failOnce(DRIVER, "cuModuleLoadData", cudart.CUDA_ERROR_INVALID_IMAGE);
        assertMessage(() -> new KernelModule("cortado_kernels", source, 9, 0), "cuModuleLoadData(cortado_kernels, sm_90 CUBIN) failed",
                "(CUresult 200)");
    }

    @Test
    void nvrtcErrorsNameTheCallAndCarryTheCompilerLog(@TempDir Path cache) {
        FakeCuda.failOnce("libnvrtc.so.13", "nvrtcGetCUBINSize", nvrtc.NVRTC_ERROR_INVALID_INPUT);
        assertMessage(() -> Nvrtc.compile("cortado_kernels", FakeCuda.kernelsSource(), 90, cache),
                "nvrtcGetCUBINSize failed: NVRTC_ERROR_INVALID_INPUT (nvrtcResult 3)");
        // The fake compiles only kernels.cu: any other source is its compile error, with its log.
        assertMessage(() -> Nvrtc.compile("other", "extern \"C\" __global__ void k() {}\n", 90, cache),
                "NVRTC could not compile other.cu (--gpu-architecture=sm_90 --std=c++17): NVRTC_ERROR_COMPILATION", "fake NVRTC compiles only");
    }

    /** The fake driver checks what a GPU would fault on or silently corrupt: the error carries the emulator's reason. */
    @Test
    void aLaunchWithAFreedPointerFailsWithTheReason() {
        KernelModule module = new KernelModule("cortado_kernels", FakeCuda.kernelsSource(), 9, 0);
        long live = DeviceMemory.malloc(64);
        long freed = DeviceMemory.malloc(64);
        DeviceMemory.free(freed);
        module.launch("bernoulli_f", 1, 256, new LaunchArgs().pointer(live).i64(7).f32(0.5f).i32(16));
        assertMessage(() -> module.launch("bernoulli_f", 1, 256, new LaunchArgs().pointer(freed).i64(7).f32(0.5f).i32(16)),
                "cuLaunchKernel(bernoulli_f, grid 1, block 256) failed: fake driver error 719: bernoulli_f: argument 0",
                "points outside every live allocation of the device (CUresult 719)");
        DeviceMemory.free(live);
    }

    @Test
    void aGemmOperandOutsideDeviceMemoryIsNamed() {
        Blas blas = new Blas(false);
        long a = DeviceMemory.malloc(16 * Float.BYTES);
        long b = DeviceMemory.malloc(16 * Float.BYTES);
        long c = DeviceMemory.malloc(16 * Float.BYTES);
        blas.sgemmStridedBatched(false, false, 4, 4, 4, a, 4, 16, b, 4, 16, c, 4, 16, 1);
        assertMessage(() -> blas.sgemmStridedBatched(false, false, 4, 4, 4, a, 4, 16, b, 4, 16, c, 4, 16, 2),
                "cublasSgemmStridedBatched(m=4, n=4, k=4, batch=2) failed: fake cublas status 7: A (32 floats) does not lie inside one device allocation");
        for (long p : new long[] {a, b, c}) {
            DeviceMemory.free(p);
        }
    }

    /** An operand outside device memory is cuDNN's bad parameter, with the operand named on stderr. */
    @Test
    void aConvolutionOperandOutsideDeviceMemoryIsABadParameter() {
        Dnn dnn = new Dnn(false, false);
        ConvShape s = new ConvShape(1, 1, 4, 4, 1, 3, 3, 0, 0, 1, 1, 1, 1, 1, 2, 2);
        long x = DeviceMemory.malloc(16 * Float.BYTES);
        long w = DeviceMemory.malloc(9 * Float.BYTES);
        long y = DeviceMemory.malloc(4 * Float.BYTES);
        Scratch scratch = new Scratch() {
            @Override
            public Buffer get(long bytes) {
                long address = bytes == 0 ? 0 : DeviceMemory.malloc(bytes);
                return new Buffer() {
                    @Override
                    public long address() {
                        return address;
                    }

                    @Override
                    public void close() {
                        DeviceMemory.free(address);
                    }
                };
            }

            @Override
            public void emptyCache() {
            }
        };
        dnn.forward(s, x, w, y, scratch);
        assertMessage(() -> dnn.forward(s, x, w, y + 4, scratch), "cudnnConvolutionForward(", "(cudnnStatus 2000)");
        for (long p : new long[] {x, w, y}) {
            DeviceMemory.free(p);
        }
    }

    @Test
    void copiesOutsideAnAllocationAndUnknownFreesAreRuntimeErrors() {
        long a = DeviceMemory.malloc(64);
        long b = DeviceMemory.malloc(64);
        DeviceMemory.copyDeviceToDevice(b, a, 64);
        assertMessage(() -> DeviceMemory.copyDeviceToDevice(b, a, 65), "cudaMemcpy device to device failed", "(cudaError 1)");
        DeviceMemory.free(a);
        assertMessage(() -> DeviceMemory.free(a), "cudaFree", "(cudaError 1)");
        DeviceMemory.free(b);
    }

    @Test
    void aFailedDeviceCountIsTheProbesReason() {
        FakeCuda.failOnce(CUDART, "cudaGetDeviceCount", cudart.cudaErrorNoDevice);
        Libraries.Probe probe = Libraries.load();
        assertFalse(probe.usable());
        assertTrue(probe.whyUnusable().startsWith("cudaGetDeviceCount failed: fake cudart error 100")
                && probe.whyUnusable().contains("no NVIDIA driver"), probe.whyUnusable());
        assertTrue(Libraries.load().usable(), "the next probe finds the device");
    }
}
