package io.aimp.gateway.vectors;

import io.aimp.gateway.storage.Database;
import java.nio.file.Path;
import java.time.Clock;

/** Builds a vector service over a database and folder outside Spring (benchmarks, tools). */
public final class VectorServices {

    private VectorServices() {
    }

    /** A service without catalog or router: vectors in, vectors out. Close it with {@link #close}. */
    public static VectorService create(Database database, Path indexDir, VectorProperties properties) {
        return new VectorService(new JdbcVectorStore(database), properties, indexDir, Clock.systemUTC(), null);
    }

    public static void close(VectorService service) {
        service.close();
    }
}
