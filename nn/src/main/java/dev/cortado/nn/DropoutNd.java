package dev.cortado.nn;

/** What every dropout layer shares, as PyTorch's {@code _DropoutNd}: the probability, checked, and the repr. */
public abstract class DropoutNd extends Module {
    protected final double p;

    protected DropoutNd(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    /** The probability of dropping an element (or a channel). */
    public double p() {
        return p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + Py.floatRepr(p) + ", inplace=False";
    }
}
