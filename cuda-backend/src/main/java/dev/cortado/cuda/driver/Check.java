package dev.cortado.cuda.driver;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;

/** Turns the status codes of the four libraries into exceptions that name the call and the status. */
final class Check {
    private Check() {
    }

    static void runtime(int status, String call) {
        if (status != cudart.cudaSuccess) {
            cudart.cudaGetLastError(); // clears the error so later calls do not report it again
            throw new CudaException(call + " failed: " + cudart.cudaGetErrorString(status).getString() + " (cudaError " + status + ")");
        }
    }

    static void driver(int status, String call) {
        if (status != cudart.CUDA_SUCCESS) {
            String text;
            try (BytePointer msg = new BytePointer((org.bytedeco.javacpp.Pointer) null)) {
                cudart.cuGetErrorString(status, msg);
                text = msg.isNull() ? "unknown error" : msg.getString();
            }
            throw new CudaException(call + " failed: " + text + " (CUresult " + status + ")");
        }
    }

    static void blas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cublas.cublasGetStatusString(status).getString() + " (cublasStatus " + status + ")");
        }
    }

    static void dnn(int status, String call) {
        if (status != cudnn.CUDNN_STATUS_SUCCESS) {
            throw new CudaException(call + " failed: " + cudnn.cudnnGetErrorString(status).getString() + " (cudnnStatus " + status + ")");
        }
    }

    static void nvrtc(int status, String call) {
        if (status != nvrtc.NVRTC_SUCCESS) {
            throw new CudaException(call + " failed: " + nvrtc.nvrtcGetErrorString(status).getString() + " (nvrtcResult " + status + ")");
        }
    }
}
