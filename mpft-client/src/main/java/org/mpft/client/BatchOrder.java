package org.mpft.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which a batch takes its files. Biggest first ({@link #BIGGEST}) starts the long files early; but
 * a file of at most {@value #ONE_CHUNK} bytes is one chunk at the plugin's smallest chunk size, which the primary
 * serves alone, so biggest first leaves those for the end, when the secondaries have nothing left to serve.
 * {@link #MIXED} deals the files of one chunk in among the bigger ones, in step by bytes (after each bigger
 * file, as many small ones as keep the share of small bytes taken level with the share of bigger bytes taken),
 * each kind biggest first. {@code -Dmpft.batch-order=biggest|mixed} chooses ({@link #fromSystemProperty()}).
 */
enum BatchOrder {

    /** Biggest file first. */
    BIGGEST,
    /** Files of one chunk dealt in among the bigger ones by bytes, each kind biggest first. */
    MIXED;

    /** The size up to which a file is one chunk at the plugin's smallest chunk size, bytes. */
    static final long ONE_CHUNK = 256 * 1024;

    /** The order {@code -Dmpft.batch-order} names, {@link #MIXED} when it names none. */
    static BatchOrder fromSystemProperty() {
        String value = System.getProperty("mpft.batch-order", "mixed");
        return "biggest".equals(value) ? BIGGEST : MIXED;
    }

    /** The indexes of {@code files} in the order a batch takes them. */
    List<Integer> of(List<BatchFile> files) {
        Comparator<Integer> biggestFirst = Comparator.comparingLong((Integer i) -> files.get(i).size()).reversed();
        List<Integer> big = new ArrayList<>();
        List<Integer> small = new ArrayList<>();
        long bigBytes = 0;
        long smallBytes = 0;
        for (int i = 0; i < files.size(); i++) {
            long size = Math.max(0, files.get(i).size());
            if (this == MIXED && size <= ONE_CHUNK) {
                small.add(i);
                smallBytes += size;
            } else {
                big.add(i);
                bigBytes += size;
            }
        }
        big.sort(biggestFirst);
        small.sort(biggestFirst);
        List<Integer> order = new ArrayList<>(files.size());
        int b = 0;
        int s = 0;
        long bigTaken = 0;
        long smallTaken = 0;
        while (b < big.size() || s < small.size()) {
            // small next while its share of bytes taken is behind the bigger files' share (cross-multiplied)
            boolean takeSmall = b == big.size() || s < small.size()
                    && (double) smallTaken * bigBytes < (double) bigTaken * smallBytes;
            if (takeSmall) {
                int next = small.get(s++);
                order.add(next);
                smallTaken += Math.max(1, files.get(next).size());
            } else {
                int next = big.get(b++);
                order.add(next);
                bigTaken += Math.max(0, files.get(next).size());
            }
        }
        return order;
    }
}
