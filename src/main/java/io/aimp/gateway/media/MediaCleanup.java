package io.aimp.gateway.media;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Cleans expired and abandoned uploads every {@code aimp.media.cleanup-interval}. */
@Component
class MediaCleanup {

    private static final Logger log = LoggerFactory.getLogger(MediaCleanup.class);

    private final MediaService media;
    private final Clock clock;

    MediaCleanup(MediaService media, Clock clock) {
        this.media = media;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${aimp.media.cleanup-interval:5m}", initialDelayString = "${aimp.media.cleanup-interval:5m}")
    void run() {
        try {
            int n = media.cleanup(clock.instant());
            if (n > 0) {
                log.info("expired {} abandoned media uploads", n);
            }
        } catch (RuntimeException e) {
            log.warn("media upload cleanup failed; it will run again", e);
        }
    }
}
