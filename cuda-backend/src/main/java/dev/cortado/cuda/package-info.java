/** The CUDA backend: cuBLAS, cuDNN and NVRTC kernels through the JavaCPP CUDA presets. */
package dev.cortado.cuda;
