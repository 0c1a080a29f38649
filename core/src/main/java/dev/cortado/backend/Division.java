package dev.cortado.backend;

/**
 * PyTorch's rounding divisions and remainders, step for step, so that a backend gives its bits:
 * the float forms start from the exact fmod, never from a rounded quotient, which keeps
 * {@code remainder(-7.3e12, 0.37)} a small positive number. Integer divisors must not be 0 (the
 * caller checks).
 */
public final class Division {
    private Division() {
    }

    /** Java's {@code %} on floats is C's fmod: exact, with the dividend's sign. */
    public static float fmod(float a, float b) {
        return a % b;
    }

    public static float remainder(float a, float b) {
        float mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            mod += b;
        }
        return mod;
    }

    /** c10's div_floor_floating: the quotient of a - fmod(a, b), stepped down where the signs differ, then rounded to the nearest whole. */
    public static float floorDivide(float a, float b) {
        if (b == 0) {
            return a / b;
        }
        float mod = a % b;
        float div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div == 0) {
            return Math.copySign(0f, a / b);
        }
        float floor = (float) Math.floor(div);
        if (div - floor > 0.5f) {
            floor += 1;
        }
        return floor;
    }

    public static float truncDivide(float a, float b) {
        float q = a / b;
        return q < 0 ? (float) Math.ceil(q) : (float) Math.floor(q);
    }

    public static long remainder(long a, long b) {
        long mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            mod += b;
        }
        return mod;
    }

    public static long floorDivide(long a, long b) {
        return Math.floorDiv(a, b);
    }
}
