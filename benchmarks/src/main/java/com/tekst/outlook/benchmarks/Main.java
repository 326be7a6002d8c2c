package com.tekst.outlook.benchmarks;

import java.util.Arrays;

/**
 * The jar's entry point: {@code suite [--quick] [--tables 1,2,...]} runs {@link BenchmarkSuite}; anything else is passed to
 * {@link DeltaPageBenchmark} as before.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("suite")) {
            BenchmarkSuite.main(args);
        } else {
            DeltaPageBenchmark.main(args);
        }
    }
}
