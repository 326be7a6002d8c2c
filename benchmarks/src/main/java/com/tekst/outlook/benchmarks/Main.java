package com.tekst.outlook.benchmarks;

import java.util.Arrays;

/**
 * The jar's entry point: {@code suite [--quick] [--tables 1,2,...]} runs {@link BenchmarkSuite}; {@code profile [runs] [page size]} runs
 * only its warm SDK (page size 1000 unless given) (to run under JFR); {@code lease-load [engines] [mailboxes] [seconds]} runs
 * {@link LeaseLoad} (PostgreSQL from {@code TEKST_TEST_POSTGRES_URL}); anything else is passed to
 * {@link DeltaPageBenchmark} as before.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("suite")) {
            BenchmarkSuite.main(args);
        } else if (args.length > 0 && args[0].equals("lease-load")) {
            LeaseLoad.run(args);
        } else if (args.length > 0 && args[0].equals("profile")) {
            BenchmarkSuite.profile(args);
        } else {
            DeltaPageBenchmark.main(args);
        }
    }
}
