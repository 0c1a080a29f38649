package dev.cortado.cuda.driver;

/** A CUDA, cuBLAS, cuDNN or NVRTC call that returned an error, named with its status. */
public final class CudaException extends RuntimeException {
    public CudaException(String message) {
        super(message);
    }
}
