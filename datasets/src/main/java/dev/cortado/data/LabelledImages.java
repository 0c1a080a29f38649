package dev.cortado.data;

import dev.cortado.tensor.Tensor;

import java.util.List;

/**
 * A data set of stored 8-bit images, each with one class label, as torchvision's MNIST, CIFAR
 * and SVHN: a sample is the image through the transform, with its label.
 */
public abstract class LabelledImages implements Dataset<Example> {
    private final Transform<Image, Tensor> transform;

    protected LabelledImages(Transform<Image, Tensor> transform) {
        this.transform = transform;
    }

    /** Sample index's stored image, before the transform. */
    public abstract Image image(int index);

    /** Sample index's class, an index into {@link #classes()}. */
    public abstract long label(int index);

    /** The class names, by label. */
    public abstract List<String> classes();

    @Override
    public Example get(int index) {
        return new Example(transform.apply(image(index)), label(index));
    }

    /** Every sample's label, in order: for class balance checks and confusion matrices. */
    public long[] labels() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = label(i);
        }
        return out;
    }
}
