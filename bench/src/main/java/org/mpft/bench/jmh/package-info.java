/**
 * JMH micro-benchmarks of mpft's hot paths: frame and chunk-header codec, chunk checksums, and the
 * positional chunk reads and writes. They never run in the build: run
 * {@code java -jar bench/target/mpft-benchmarks.jar} (see docs/BENCHMARKS.md for the command used).
 */
package org.mpft.bench.jmh;
