package io.aimp.gateway.providers.local;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Perceptual image features ({@code image-features-v1}), computed in process. They find
 * near-duplicates (resized, recompressed, lightly edited copies) and images that look alike in colour
 * and layout. They know nothing about what an image shows: this is not semantic (CLIP-style) search.
 *
 * <p>The image is composited over white and box-averaged to 64 × 64 (aspect ratio ignored), then
 * three blocks, each L2-normalised and weighted, are concatenated and L2-normalised again:
 * <ol>
 *   <li>colour: an HSV histogram, 8 hue × 4 saturation × 4 value bins, square-rooted (Hellinger), 128 values;</li>
 *   <li>edges: a Sobel gradient-orientation histogram, 8 orientations in each quarter of the image,
 *       weighted by gradient magnitude, 32 values;</li>
 *   <li>layout: the 8 × 8 lowest-frequency DCT coefficients of the 32 × 32 grey image, DC removed, 64 values.</li>
 * </ol>
 * Deterministic, stateless and thread-safe.
 */
final class ImageFeatures {

    static final int DIMENSIONS = 224;
    /** Decompression-bomb guard: larger images are refused before their pixels are decoded. */
    static final long MAX_PIXELS = 50_000_000L;

    private static final int SIDE = 64;
    private static final float COLOUR_WEIGHT = 1.0f;
    private static final float EDGE_WEIGHT = 0.6f;
    private static final float LAYOUT_WEIGHT = 0.8f;

    private ImageFeatures() {
    }

    /** @throws IllegalArgumentException when the bytes are not a readable image (PNG, JPEG, GIF, BMP) or too large */
    static float[] embed(byte[] bytes) {
        BufferedImage image = decode(bytes);
        float[][] rgb = downscale(image);
        float[] colour = colourHistogram(rgb);
        float[] grey = grey(rgb);
        float[] edges = edgeHistogram(grey);
        float[] layout = layout(grey);
        float[] v = new float[DIMENSIONS];
        put(v, 0, colour, COLOUR_WEIGHT);
        put(v, 128, edges, EDGE_WEIGHT);
        put(v, 160, layout, LAYOUT_WEIGHT);
        normalise(v);
        return v;
    }

    private static BufferedImage decode(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("not a readable image (PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels < 1 || pixels > MAX_PIXELS) {
                    throw new IllegalArgumentException("image has " + pixels + " pixels; at most " + MAX_PIXELS + " are read");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a readable image (PNG, JPEG, GIF or BMP)");
        }
    }

    /** Box average to SIDE × SIDE, alpha composited over white; values 0..1 as [r, g, b][y * SIDE + x]. */
    private static float[][] downscale(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        double[][] sum = new double[3][SIDE * SIDE];
        int[] count = new int[SIDE * SIDE];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            int ty = (int) ((long) y * SIDE / h);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                double a = ((p >>> 24) & 0xFF) / 255.0;
                int cell = ty * SIDE + (int) ((long) x * SIDE / w);
                sum[0][cell] += (((p >> 16) & 0xFF) * a + 255 * (1 - a)) / 255.0;
                sum[1][cell] += (((p >> 8) & 0xFF) * a + 255 * (1 - a)) / 255.0;
                sum[2][cell] += ((p & 0xFF) * a + 255 * (1 - a)) / 255.0;
                count[cell]++;
            }
        }
        float[][] out = new float[3][SIDE * SIDE];
        for (int i = 0; i < SIDE * SIDE; i++) {
            // an image smaller than SIDE leaves cells empty: take the nearest filled one to the left or above
            int src = i;
            while (count[src] == 0 && src > 0) {
                src--;
            }
            for (int c = 0; c < 3; c++) {
                out[c][i] = count[src] == 0 ? 1f : (float) (sum[c][src] / count[src]);
            }
        }
        return out;
    }

    private static float[] colourHistogram(float[][] rgb) {
        float[] hist = new float[128];
        for (int i = 0; i < SIDE * SIDE; i++) {
            float r = rgb[0][i];
            float g = rgb[1][i];
            float b = rgb[2][i];
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float delta = max - min;
            float hue;
            if (delta == 0) {
                hue = 0;
            } else if (max == r) {
                hue = ((g - b) / delta) % 6;
            } else if (max == g) {
                hue = (b - r) / delta + 2;
            } else {
                hue = (r - g) / delta + 4;
            }
            hue = (hue < 0 ? hue + 6 : hue) / 6; // 0..1
            float sat = max == 0 ? 0 : delta / max;
            int hb = Math.min(7, (int) (hue * 8));
            int sb = Math.min(3, (int) (sat * 4));
            int vb = Math.min(3, (int) (max * 4));
            hist[hb * 16 + sb * 4 + vb]++;
        }
        for (int i = 0; i < hist.length; i++) {
            hist[i] = (float) Math.sqrt(hist[i] / (SIDE * SIDE));
        }
        normalise(hist);
        return hist;
    }

    private static float[] grey(float[][] rgb) {
        float[] g = new float[SIDE * SIDE];
        for (int i = 0; i < g.length; i++) {
            g[i] = 0.299f * rgb[0][i] + 0.587f * rgb[1][i] + 0.114f * rgb[2][i];
        }
        return g;
    }

    private static float[] edgeHistogram(float[] g) {
        float[] hist = new float[32];
        for (int y = 1; y < SIDE - 1; y++) {
            for (int x = 1; x < SIDE - 1; x++) {
                float gx = g[(y - 1) * SIDE + x + 1] + 2 * g[y * SIDE + x + 1] + g[(y + 1) * SIDE + x + 1]
                        - g[(y - 1) * SIDE + x - 1] - 2 * g[y * SIDE + x - 1] - g[(y + 1) * SIDE + x - 1];
                float gy = g[(y + 1) * SIDE + x - 1] + 2 * g[(y + 1) * SIDE + x] + g[(y + 1) * SIDE + x + 1]
                        - g[(y - 1) * SIDE + x - 1] - 2 * g[(y - 1) * SIDE + x] - g[(y - 1) * SIDE + x + 1];
                float magnitude = (float) Math.hypot(gx, gy);
                if (magnitude < 1e-3f) {
                    continue;
                }
                double angle = Math.atan2(gy, gx);
                if (angle < 0) {
                    angle += Math.PI; // orientation, not direction
                }
                int bin = Math.min(7, (int) (angle / Math.PI * 8));
                int cell = (y * 2 / SIDE) * 2 + x * 2 / SIDE;
                hist[cell * 8 + bin] += magnitude;
            }
        }
        normalise(hist);
        return hist;
    }

    private static float[] layout(float[] g) {
        int n = SIDE / 2;
        float[] small = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                small[y * n + x] = (g[2 * y * SIDE + 2 * x] + g[2 * y * SIDE + 2 * x + 1]
                        + g[(2 * y + 1) * SIDE + 2 * x] + g[(2 * y + 1) * SIDE + 2 * x + 1]) / 4;
            }
        }
        float[] out = new float[64];
        double[][] cos = new double[8][n];
        for (int u = 0; u < 8; u++) {
            for (int x = 0; x < n; x++) {
                cos[u][x] = Math.cos((2 * x + 1) * u * Math.PI / (2 * n));
            }
        }
        for (int v = 0; v < 8; v++) {
            for (int u = 0; u < 8; u++) {
                if (u == 0 && v == 0) {
                    continue; // overall brightness is the colour block's business
                }
                double s = 0;
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        s += small[y * n + x] * cos[u][x] * cos[v][y];
                    }
                }
                out[v * 8 + u] = (float) s;
            }
        }
        normalise(out);
        return out;
    }

    private static void put(float[] target, int offset, float[] block, float weight) {
        for (int i = 0; i < block.length; i++) {
            target[offset + i] = block[i] * weight;
        }
    }

    static void normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm == 0) {
            return;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
    }
}
