package dev.cortado.cuda.driver;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/** A JavaCPP pointer at a raw (device) address that JavaCPP neither owns nor frees. */
final class Address extends Pointer {
    Address(long address) {
        this.address = address;
    }

    static FloatPointer floats(long address) {
        return new FloatPointer(new Address(address));
    }
}
