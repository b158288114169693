package org.mpft.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Builds records for the tests. */
final class Fixtures {

    static final long GIB = 1L << 30;

    private Fixtures() {
    }

    /** A verified run of 1 GiB at {@code mbps} MB/s on the given rates. */
    static RunRecord ok(String scenario, String tool, int run, double mbps, int rate1, int rate2) {
        double wall = GIB / 1e6 / mbps;
        return new RunRecord(scenario, tool, run, GIB, wall, 2.0, 3.0, 200 * 1024, rate1, rate2,
                RunRecord.STATUS_OK, "-", "-");
    }

    static RunRecord failed(String scenario, String tool, int run, int rate1, int rate2) {
        return new RunRecord(scenario, tool, run, GIB, 1.0, 0.1, 0.1, 50 * 1024, rate1, rate2,
                RunRecord.STATUS_FAIL, "-", "exit 7");
    }

    static RunRecord rss(String scenario, long bytes, long rssKib) {
        return new RunRecord(scenario, "mpft-single", 1, bytes, 10, 1, 1, rssKib, 0, 0, RunRecord.STATUS_OK, "-", "-");
    }

    /** A complete, all-goals-met set: equal 2x200, unequal 300+100, loopback, memory. */
    static List<RunRecord> goodSet() {
        List<RunRecord> r = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            r.add(ok("equal", "mpft-single", run, 23.5 + run * 0.1, 200, 200));
            r.add(ok("equal", "mpft-alternate", run, 47.0, 200, 200));
            r.add(ok("equal", "mpft-adaptive", run, 47.5, 200, 200));
            r.add(ok("equal", "sftp", run, 23.0, 200, 200));
            r.add(ok("equal", "lftp-pget4", run, 23.8, 200, 200));
            r.add(ok("unequal", "mpft-single", run, 35.0, 300, 100));
            r.add(ok("unequal", "mpft-alternate", run, 23.5, 300, 100));
            r.add(ok("unequal", "mpft-adaptive", run, 46.0, 300, 100));
            r.add(ok("loopback", "mpft-single", run, 250, 0, 0));
            r.add(ok("loopback", "sftp", run, 170, 0, 0));
            r.add(ok("capped-equal", "mpft-single", run, 19.5, 160, 160));
            r.add(ok("capped-equal", "mpft-alternate", run, 38.5, 160, 160));
            r.add(ok("capped-equal", "mpft-adaptive", run, 38.8, 160, 160));
            r.add(ok("capped-unequal", "mpft-alternate", run, 39.5, 160, 480));
            r.add(ok("capped-unequal", "mpft-adaptive", run, 74.0, 160, 480));
        }
        r.add(rss("memory-1g", GIB, 300_000));
        r.add(rss("memory-4g", 4 * GIB, 310_000));
        return r;
    }
}
