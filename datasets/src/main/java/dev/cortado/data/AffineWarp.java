package dev.cortado.data;

import dev.cortado.tensor.Shapes;
import dev.cortado.tensor.Tensor;

/**
 * torchvision's {@code F.affine} on a (C, H, W) float image, pixel by pixel on the host: the
 * inverse of rotation (clockwise, in degrees, about the centre), shear, scale and translation (in
 * pixels) maps each output pixel's centre to a source position, read with nearest-neighbour or
 * bilinear sampling, zero outside, in float32 and in the order torchvision's grid and PyTorch's
 * grid_sample compute it. Bilinear edges blend towards the fill the way torchvision's mask does.
 */
final class AffineWarp {
    private AffineWarp() {
    }

    static Tensor apply(Tensor image, double angle, double tx, double ty, double scale, boolean bilinear) {
        return apply(image, angle, tx, ty, scale, 0, 0, bilinear);
    }

    /** As above, sheared by shearX and shearY degrees (torchvision's shear, parallel to each axis). */
    static Tensor apply(Tensor image, double angle, double tx, double ty, double scale, double shearX, double shearY, boolean bilinear) {
        return apply(image, angle, tx, ty, scale, shearX, shearY, 0, 0, bilinear, new float[image.dim() == 3 ? image.size(0) : 1]);
    }

    /**
     * The general form: about the point (cx, cy), in pixels from the image's centre (torchvision's
     * {@code center_f}), and with {@code fill} per channel outside the image, blended with the
     * image along bilinear edges as torchvision's mask does; {@code fill} null leaves grid_sample's
     * zero padding unweighted ({@code fill=None}).
     */
    static Tensor apply(Tensor image, double angle, double tx, double ty, double scale, double shearX, double shearY, double cx, double cy,
                        boolean bilinear, float[] fill) {
        if (image.dim() != 3) {
            throw new IllegalArgumentException("affine: expected a (C, H, W) image, got " + Shapes.str(image.shape()));
        }
        if (!(scale > 0)) {
            throw new IllegalArgumentException("affine: scale must be positive, got " + scale);
        }
        int c = image.size(0);
        int h = image.size(1);
        int w = image.size(2);
        float[] src = image.contiguous().toFloatArray();
        if (!(Math.abs(shearX) < 90 && Math.abs(shearY) < 90)) {
            throw new IllegalArgumentException("affine: shear angles must be within (-90, 90) degrees, got " + shearX + " and " + shearY);
        }
        if (fill != null && fill.length != c) {
            throw new IllegalArgumentException("affine: fill has " + fill.length + " values for " + c + " channels");
        }
        float[] m = inverseMatrix(angle, tx, ty, scale, shearX, shearY, cx, cy);
        // torchvision's rescaled theta: the matrix transposed, divided by half the width and height.
        float r00 = m[0] / (0.5f * w);
        float r01 = m[3] / (0.5f * h);
        float r10 = m[1] / (0.5f * w);
        float r11 = m[4] / (0.5f * h);
        float r20 = m[2] / (0.5f * w);
        float r21 = m[5] / (0.5f * h);
        float[] out = new float[src.length];
        int plane = h * w;
        for (int i = 0; i < h; i++) {
            float y = -h * 0.5f + 0.5f + i;
            for (int j = 0; j < w; j++) {
                float x = -w * 0.5f + 0.5f + j;
                // The grid as PyTorch's bmm forms it on this kind of host (a BLAS kernel with fused
                // multiply-adds): x·r0 rounded, plus y·r1 fused, plus the offset. Ties of the nearest
                // pixel (a shear of 0.2 puts sources exactly between two) fall as PyTorch's do only so.
                float gx = Math.fma(y, r10, x * r00) + r20;
                float gy = Math.fma(y, r11, x * r01) + r21;
                // grid_sample's unnormalisation without align_corners, as its compiled CPU kernel
                // evaluates it: (g + 1) · size / 2 − 0.5 with the multiply and subtract fused.
                float ix = Math.fma(gx + 1, w / 2f, -0.5f);
                float iy = Math.fma(gy + 1, h / 2f, -0.5f);
                int o = i * w + j;
                if (bilinear) {
                    bilinear(src, out, c, h, w, plane, o, ix, iy, fill);
                } else {
                    int sx = (int) Math.rint(ix);
                    int sy = (int) Math.rint(iy);
                    boolean in = sx >= 0 && sx < w && sy >= 0 && sy < h;
                    for (int ch = 0; ch < c; ch++) {
                        out[ch * plane + o] = in ? src[ch * plane + sy * w + sx] : fill == null ? 0 : fill[ch];
                    }
                }
            }
        }
        return Tensor.fromArray(out, new int[] {c, h, w}, image.device());
    }

    /**
     * The four neighbours' blend; with a fill, v · mask + (1 − mask) · fill, the mask being the same
     * blend of a plane of ones (torchvision's fill mask).
     */
    private static void bilinear(float[] src, float[] out, int c, int h, int w, int plane, int o, float ix, float iy, float[] fill) {
        float x0 = (float) Math.floor(ix);
        float y0 = (float) Math.floor(iy);
        // The distances to each side, then the weights, as grid_sample's CPU kernel forms them.
        float west = ix - x0;
        float east = 1 - west;
        float north = iy - y0;
        float south = 1 - north;
        float[] weights = {south * east, south * west, north * east, north * west};
        int[] xs = {(int) x0, (int) x0 + 1, (int) x0, (int) x0 + 1};
        int[] ys = {(int) y0, (int) y0, (int) y0 + 1, (int) y0 + 1};
        float mask = 0;
        for (int k = 0; k < 4; k++) {
            if (inside(xs[k], ys[k], w, h)) {
                mask += weights[k];
            }
        }
        for (int ch = 0; ch < c; ch++) {
            // Fused multiply-adds in this order, as the compiled kernel evaluates nw·v + ne·v + sw·v + se·v.
            float v = 0;
            for (int k = 0; k < 4; k++) {
                if (inside(xs[k], ys[k], w, h)) {
                    v = Math.fma(src[ch * plane + ys[k] * w + xs[k]], weights[k], v);
                }
            }
            out[ch * plane + o] = fill == null ? v : v * mask + (1 - mask) * fill[ch];
        }
    }

    private static boolean inside(int x, int y, int w, int h) {
        return x >= 0 && x < w && y >= 0 && y < h;
    }

    /** torchvision's _get_inverse_affine_matrix about (cx, cy) from the centre, in double, then as float32. */
    static float[] inverseMatrix(double angle, double tx, double ty, double scale, double shearX, double shearY, double cx, double cy) {
        double rot = Math.toRadians(angle);
        double sx = Math.toRadians(shearX);
        double sy = Math.toRadians(shearY);
        // torchvision's rotation-shear matrix; its determinant is 1, so its inverse is the adjugate.
        double a = Math.cos(rot - sy) / Math.cos(sy);
        double b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
        double c = Math.sin(rot - sy) / Math.cos(sy);
        double d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
        double[] m = {d / scale, -b / scale, 0, -c / scale, a / scale, 0};
        m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
        m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
        m[2] += cx;
        m[5] += cy;
        float[] f = new float[6];
        for (int i = 0; i < 6; i++) {
            f[i] = (float) m[i];
        }
        return f;
    }
}
