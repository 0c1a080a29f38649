package dev.cortado.tensor;

/** Element types. float32 carries all arithmetic; int64 carries labels and indices. */
public enum DType {
    FLOAT32("float32", 4),
    INT64("int64", 8);

    private final String pyName;
    private final int bytes;

    DType(String pyName, int bytes) {
        this.pyName = pyName;
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int itemSize() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32;
    }

    @Override
    public String toString() {
        return pyName;
    }
}
