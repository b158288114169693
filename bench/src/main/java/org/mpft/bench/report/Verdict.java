package org.mpft.bench.report;

/** Whether a goal is met by the measured numbers. */
public enum Verdict {
    /** Measured and met. */
    PASS,
    /** Measured and missed. */
    FAIL,
    /** Not measured: a tool did not run or no run was verified. */
    PENDING
}
