package org.mpft.client;

import java.io.IOException;
import org.mpft.protocol.ErrorCode;
import org.mpft.protocol.MpftException;

/**
 * What a download does when the server says the file changed while it was sent (FILE_CHANGED): the chunks
 * held may be of two versions, so the partial download is thrown away and the file fetched once more from
 * scratch; a file that changes again fails the download with FILE_CHANGED (an integrity failure) and a message
 * saying that nothing was written under the output's name. A mix is never renamed to the output: the download
 * ends before its last step either way. Pure: the caller passes the attempt and what starting over means.
 */
final class ChangedFileRestart {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChangedFileRestart.class);

    private ChangedFileRestart() {
    }

    /** Throws the partial download's state away before the second attempt (the next attempt starts from scratch). */
    @FunctionalInterface
    interface StartOver {
        void run() throws MpftException, IOException;
    }

    /**
     * Runs {@code attempt}, and once more after {@code startOver} when it failed with FILE_CHANGED.
     *
     * @param file   the remote path, for the message
     * @param output the local file, for the message
     * @throws MpftException FILE_CHANGED when the file changed during both attempts, else as the attempt threw
     */
    static <T> T run(BusyBackoff.Attempt<T> attempt, StartOver startOver, String file, java.nio.file.Path output)
            throws MpftException, InterruptedException, IOException {
        try {
            return attempt.run();
        } catch (MpftException e) {
            if (e.code() != ErrorCode.FILE_CHANGED) {
                throw e;
            }
            LOG.info("{} changed on the server during the download; starting it over from scratch ({})", file,
                    e.getMessage());
        }
        startOver.run();
        try {
            return attempt.run();
        } catch (MpftException e) {
            if (e.code() != ErrorCode.FILE_CHANGED) {
                throw e;
            }
            throw new MpftException(ErrorCode.FILE_CHANGED, file + " changed on the server during the download, "
                    + "twice; nothing was written to " + output + " (try again once the file is no longer written)",
                    e);
        }
    }
}
