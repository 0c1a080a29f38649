package dev.cortado.io;

import java.nio.ByteBuffer;

/**
 * The element types that checkpoint files hold, named as safetensors names them, with torch.save's
 * storage class for each. Cortado holds float32 and int64, so floating types load as float32
 * (float64 rounded to nearest, float16 and bfloat16 exactly) and integer and bool types as int64,
 * as {@code load_state_dict}'s copy into a float32 model converts them.
 */
enum ElementType {
    F32("FloatStorage", 4, true), F64("DoubleStorage", 8, true), F16("HalfStorage", 2, true), BF16("BFloat16Storage", 2, true),
    I64("LongStorage", 8, false), I32("IntStorage", 4, false), I16("ShortStorage", 2, false), I8("CharStorage", 1, false),
    U8("ByteStorage", 1, false), BOOL("BoolStorage", 1, false);

    /** torch.save's storage class, e.g. {@code torch.FloatStorage}. */
    final String storage;
    final int size;
    final boolean floating;

    ElementType(String storage, int size, boolean floating) {
        this.storage = storage;
        this.size = size;
        this.floating = floating;
    }

    /** The type of a safetensors dtype code, or null. */
    static ElementType ofCode(String code) {
        for (ElementType t : values()) {
            if (t.name().equals(code)) {
                return t;
            }
        }
        return null;
    }

    /** The type of a torch storage class name, or null. */
    static ElementType ofStorage(String name) {
        for (ElementType t : values()) {
            if (t.storage.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** {@code n} floating elements from {@code b}'s position on, in its byte order, as float32. */
    float[] floats(ByteBuffer b, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (this) {
                case F32 -> b.getFloat();
                case F64 -> (float) b.getDouble();
                case F16 -> Float.float16ToFloat(b.getShort());
                case BF16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16); // the top half of a float32
                default -> throw new IllegalStateException(this + " is not floating");
            };
        }
        return out;
    }

    /** {@code n} integer or bool elements from {@code b}'s position on, in its byte order, as int64. */
    long[] longs(ByteBuffer b, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (this) {
                case I64 -> b.getLong();
                case I32 -> b.getInt();
                case I16 -> b.getShort();
                case I8 -> b.get();
                case U8 -> b.get() & 0xff;
                case BOOL -> b.get() != 0 ? 1 : 0;
                default -> throw new IllegalStateException(this + " is floating");
            };
        }
        return out;
    }
}
