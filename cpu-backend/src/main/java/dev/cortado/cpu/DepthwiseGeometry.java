package dev.cortado.cpu;

/**
 * What the depthwise kernels need of a layer's geometry: input planes h × w, output planes
 * oh × ow, strides, zero padding and the number of taps; each kernel adds its own layout.
 */
abstract class DepthwiseGeometry {
    final int h;
    final int w;
    final int oh;
    final int ow;
    final int sh;
    final int sw;
    final int ph;
    final int pw;
    final int taps;

    DepthwiseGeometry(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw) {
        this.h = h;
        this.w = w;
        this.oh = oh;
        this.ow = ow;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
        this.taps = kh * kw;
    }
}
