package io.aimp.gateway.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Generated test pictures: PNG bytes drawn with java.awt, and near-copies of them. */
public final class TestImages {

    private TestImages() {
    }

    /** A warm diagonal gradient with a blue disc: one kind of picture. */
    public static byte[] gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(250, 140, 30), w, h, new Color(120, 20, 60)));
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(40, 90, 220));
        g.fillOval(w / 5, h / 4, w / 3, h / 2);
        g.dispose();
        return png(img);
    }

    /** Green stripes and black boxes on white: a different picture. */
    public static byte[] shapes(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(30, 160, 70));
        g.setStroke(new BasicStroke(6));
        for (int x = -h; x < w; x += 24) {
            g.drawLine(x, h, x + h, 0);
        }
        g.setColor(Color.BLACK);
        g.fillRect(w / 2, h / 6, w / 4, h / 3);
        g.fillRect(w / 8, h / 2, w / 5, h / 3);
        g.dispose();
        return png(img);
    }

    /** A near-copy: resized to {@code w × h} and saved as JPEG. */
    public static byte[] recompressed(byte[] image, int w, int h) {
        try {
            BufferedImage src = ImageIO.read(new ByteArrayInputStream(image));
            BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = dst.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, w, h, null);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(dst, "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
