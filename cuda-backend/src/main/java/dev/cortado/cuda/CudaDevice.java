package dev.cortado.cuda;

import dev.cortado.cuda.driver.Scratch;
import dev.cortado.tensor.Device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One GPU as the backend sees it: its runtime (memory, copies, kernels, cuBLAS, cuDNN) and the
 * caching allocator in front of the runtime's memory. All work goes to the device's default
 * stream, so it runs in the order it was issued.
 */
final class CudaDevice implements Scratch {
    final Device device;
    final DeviceRuntime runtime;
    final CachingAllocator allocator;

    CudaDevice(Device device, DeviceRuntime runtime) {
        this.device = device;
        this.runtime = runtime;
        this.allocator = new CachingAllocator(runtime, device.toString());
    }

    void bind() {
        runtime.bind();
    }

    static String source() {
        try (InputStream in = CudaDevice.class.getResourceAsStream("kernels.cu")) {
            if (in == null) {
                throw new IllegalStateException("cuda: kernels.cu is missing from the cortado-cuda jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cuda: cannot read kernels.cu from the cortado-cuda jar", e);
        }
    }

    // ---- Scratch: workspaces for cuDNN --------------------------------------------------------

    @Override
    public Buffer get(long bytes) {
        if (bytes == 0) {
            return new Buffer() {
                @Override
                public long address() {
                    return 0;
                }

                @Override
                public void close() {
                }
            };
        }
        CachingAllocator.Block block = allocator.allocate(bytes);
        return new Buffer() {
            @Override
            public long address() {
                return block.address();
            }

            @Override
            public void close() {
                allocator.free(block, false);
            }
        };
    }

    @Override
    public void emptyCache() {
        allocator.emptyCache();
    }
}
