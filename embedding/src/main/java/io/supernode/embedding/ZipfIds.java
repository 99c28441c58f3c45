package io.supernode.embedding;

import java.util.SplittableRandom;

/**
 * Zipf-distributed row ids: rank {@code k} in 1..n drawn with probability proportional to {@code k^-s} by
 * rejection-inversion (Hörmann and Derflinger, 1996: constant time per draw, no table), then mapped to a
 * row by a seeded affine permutation of 0..n-1, so the hottest rows land on random shards (as FBGEMM's
 * benchmark generator does) instead of all on the first.
 */
final class ZipfIds {

    private final int n;
    private final double exponent;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double squeeze;
    private final long multiplier;
    private final long offset;

    ZipfIds(int n, double exponent, long permutationSeed) {
        this.n = n;
        this.exponent = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1.0;
        this.hIntegralN = hIntegral(n + 0.5);
        this.squeeze = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
        SplittableRandom r = new SplittableRandom(permutationSeed);
        long a = r.nextLong(n) | 1;
        while (gcd(a, n) != 1) {
            a += 2;
        }
        this.multiplier = a;
        this.offset = r.nextLong(n);
    }

    /** The next id, in 0..n-1. */
    int next(SplittableRandom random) {
        return (int) (((rank(random) - 1) * multiplier % n + offset) % n);
    }

    /** A rank in 1..n, rank 1 the most popular. */
    long rank(SplittableRandom random) {
        while (true) {
            double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = Math.max(1, Math.min(n, (long) (x + 0.5)));
            if (k - x <= squeeze || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    private double h(double x) {
        return Math.exp(-exponent * Math.log(x));
    }

    /** The integral of x^-s, shifted so it is continuous at s = 1: (x^(1-s) - 1) / (1-s), or log x. */
    private double hIntegral(double x) {
        double logX = Math.log(x);
        return expm1OverX((1.0 - exponent) * logX) * logX;
    }

    private double hIntegralInverse(double y) {
        double t = y * (1.0 - exponent);
        if (t < -1.0) {
            t = -1.0;
        }
        return Math.exp(log1pOverX(t) * y);
    }

    private static double expm1OverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x / 2.0;
    }

    private static double log1pOverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x / 2.0;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
