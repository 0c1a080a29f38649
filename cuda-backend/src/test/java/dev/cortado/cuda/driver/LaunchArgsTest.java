package dev.cortado.cuda.driver;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * cuLaunchKernel reads each argument through its pointer with the kernel's C layout: every value
 * aligned to its size, and a struct of ints as its fields back to back. Runs without a GPU (only
 * JavaCPP's own native library is loaded).
 */
class LaunchArgsTest {
    @Test
    void valuesAreAlignedToTheirSizeAndReadBackThroughTheirPointers() {
        try (LaunchArgs args = new LaunchArgs().i32(7).pointer(0xABCDEF0123L).f32(1.5f).ints(new int[] {4, -5, 6}).i64(-9L).f64(0.25)) {
            try (PointerPointer<?> p = args.pointers()) {
                long base = p.get(0).address();
                // i32 at 0; the pointer waits for 8; f32 at 16; the struct at 20 (ints align to 4)
                // and 12 bytes long; i64 and f64 at the next multiples of 8.
                long[] expected = {0, 8, 16, 20, 32, 40};
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], p.get(i).address() - base, "offset of argument " + i);
                }
                assertEquals(7, new BytePointer(p.get(0)).getInt(0));
                assertEquals(0xABCDEF0123L, new BytePointer(p.get(1)).getLong(0));
                assertEquals(1.5f, new BytePointer(p.get(2)).getFloat(0));
                BytePointer struct = new BytePointer(p.get(3));
                assertEquals(4, struct.getInt(0));
                assertEquals(-5, struct.getInt(4));
                assertEquals(6, struct.getInt(8));
                assertEquals(-9L, new BytePointer(p.get(4)).getLong(0));
                assertEquals(0.25, new BytePointer(p.get(5)).getDouble(0));
            }
        }
    }

    @Test
    void argumentsBeyondTheBufferFailWithTheLimit() {
        try (LaunchArgs args = new LaunchArgs()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> args.ints(new int[600]));
            assertEquals("LaunchArgs: kernel arguments exceed 2048 bytes", e.getMessage());
            for (int i = 0; i < 256; i++) {
                args.i64(i);
            }
            assertThrows(IllegalStateException.class, () -> args.i32(1));
        }
    }

    @Test
    void aBlockIsReusedAfterCloseButNeverHandedToTwoLiveArguments() {
        long first;
        LaunchArgs a = new LaunchArgs().i32(1);
        try (PointerPointer<?> p = a.pointers()) {
            first = p.address();
        }
        a.close();
        a.close(); // a second close must not put the block back twice
        try (LaunchArgs b = new LaunchArgs().i32(2); LaunchArgs c = new LaunchArgs().i32(3);
             PointerPointer<?> pb = b.pointers(); PointerPointer<?> pc = c.pointers()) {
            assertEquals(first, pb.address(), "the closed block is taken again");
            assertNotEquals(pb.address(), pc.address(), "two open LaunchArgs share a block");
            assertEquals(2, new BytePointer(pb.get(0)).getInt(0));
            assertEquals(3, new BytePointer(pc.get(0)).getInt(0));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.i32(4));
        assertEquals("LaunchArgs: already closed (launched)", e.getMessage());
    }

    @Test
    void moreArgumentsThanPointerSlotsFailWithTheLimit() {
        try (LaunchArgs args = new LaunchArgs()) {
            for (int i = 0; i < 256; i++) {
                args.ints(new int[0]);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> args.ints(new int[0]));
            assertEquals("LaunchArgs: more than 256 kernel arguments", e.getMessage());
        }
    }
}
