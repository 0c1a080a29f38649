package dev.cortado.cuda;

import dev.cortado.cuda.driver.Blas;
import dev.cortado.cuda.driver.DeviceMemory;
import dev.cortado.cuda.driver.Dnn;
import dev.cortado.cuda.driver.Gpu;
import dev.cortado.cuda.driver.KernelModule;
import dev.cortado.cuda.driver.Scratch;
import dev.cortado.cuda.driver.Staging;
import dev.cortado.tensor.Device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Everything one GPU needs, made on first use: its allocator and pinned staging buffer, the
 * NVRTC-compiled kernels, a cuBLAS and a cuDNN handle. All work goes to the device's default
 * stream, so it runs in the order it was issued.
 */
final class CudaDevice implements Scratch {
    final int index;
    final Device device;
    final CachingAllocator allocator;
    final Staging staging = new Staging();
    private volatile KernelModule kernels;
    private volatile Blas blas;
    private volatile Dnn dnn;

    CudaDevice(int index) {
        this.index = index;
        this.device = Device.cuda(index);
        this.allocator = new CachingAllocator(new CachingAllocator.Raw() {
            @Override
            public long malloc(long bytes) {
                return DeviceMemory.malloc(bytes);
            }

            @Override
            public void free(long address) {
                DeviceMemory.free(address);
            }
        }, device.toString());
    }

    void bind() {
        Gpu.bind(index);
    }

    KernelModule kernels() {
        KernelModule k = kernels;
        if (k == null) {
            synchronized (this) {
                if (kernels == null) {
                    int[] cc = Gpu.capability(index);
                    kernels = new KernelModule("cortado_kernels", source(), cc[0], cc[1]);
                }
                k = kernels;
            }
        }
        return k;
    }

    Blas blas() {
        Blas b = blas;
        if (b == null) {
            synchronized (this) {
                if (blas == null) {
                    blas = new Blas(CudaSettings.tf32());
                }
                b = blas;
            }
        }
        return b;
    }

    Dnn dnn() {
        Dnn d = dnn;
        if (d == null) {
            synchronized (this) {
                if (dnn == null) {
                    dnn = new Dnn(CudaSettings.tf32());
                }
                d = dnn;
            }
        }
        return d;
    }

    void setTf32(boolean on) {
        if (blas != null) {
            blas.setTf32(on);
        }
        if (dnn != null) {
            dnn.setTf32(on);
        }
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
