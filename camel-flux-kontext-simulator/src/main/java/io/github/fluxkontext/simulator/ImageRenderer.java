package io.github.fluxkontext.simulator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Draws the simulator's output images with Java2D and encodes them with ImageIO. Everything random
 * comes from a Random seeded by a hash of the {@link ImageSpec}, so equal specs give equal bytes.
 */
final class ImageRenderer {

    private static final System.Logger LOG = System.getLogger(ImageRenderer.class.getName());
    private static final Color PLACEHOLDER_GREY = new Color(0xB4B4B4);
    private static volatile boolean fontsBroken;

    private final InputImages inputs;

    ImageRenderer(InputImages inputs) {
        this.inputs = inputs;
    }

    byte[] render(ImageSpec spec) {
        return encode(draw(spec), spec.format());
    }

    BufferedImage draw(ImageSpec spec) {
        Random rnd = new Random(hash(spec));
        return switch (spec.kind()) {
            case EDIT -> {
                String url = spec.inputs().isEmpty() ? null : spec.inputs().get(0);
                Optional<BufferedImage> in = inputs.decode(url);
                yield in.isPresent() ? edit(spec, List.of(in)) : placeholder(spec, url);
            }
            case MULTI -> {
                List<Optional<BufferedImage>> all = new ArrayList<>();
                for (String url : spec.inputs()) {
                    all.add(inputs.decode(url));
                }
                yield all.stream().anyMatch(Optional::isPresent) ? edit(spec, all)
                        : placeholder(spec, spec.inputs().isEmpty() ? null : spec.inputs().get(0));
            }
            case INPAINT -> inpaint(spec, rnd);
            case TEXT_TO_IMAGE, GENERIC -> textToImage(spec, rnd);
        };
    }

    // --- text to image ------------------------------------------------------------------------

    private BufferedImage textToImage(ImageSpec spec, Random rnd) {
        int w = spec.width();
        int h = spec.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        try {
            float hue = rnd.nextFloat();
            Color c1 = Color.getHSBColor(hue, 0.55f + 0.3f * rnd.nextFloat(), 0.75f + 0.2f * rnd.nextFloat());
            Color c2 = Color.getHSBColor(hue + 0.15f + 0.3f * rnd.nextFloat(), 0.6f + 0.3f * rnd.nextFloat(),
                    0.35f + 0.2f * rnd.nextFloat());
            g.setPaint(new GradientPaint(0, 0, c1, w, h, c2));
            g.fillRect(0, 0, w, h);
            int min = Math.min(w, h);
            for (int i = 0; i < 7; i++) {
                Color c = Color.getHSBColor(rnd.nextFloat(), 0.5f + 0.5f * rnd.nextFloat(), 0.6f + 0.4f * rnd.nextFloat());
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 70 + rnd.nextInt(80)));
                int r = (int) (min * (0.05 + 0.2 * rnd.nextDouble()));
                g.fillOval(rnd.nextInt(Math.max(1, w)) - r, rnd.nextInt(Math.max(1, h)) - r, 2 * r, 2 * r);
            }
            int fontSize = Math.max(9, min / 16);
            drawTextPanel(g, spec.prompt(), w, h, fontSize);
            drawFooter(g, spec, w, h, Math.max(7, fontSize / 2));
        } finally {
            g.dispose();
        }
        return img;
    }

    // --- inpaint ------------------------------------------------------------------------------

    /**
     * The input image, unchanged except where the mask is white: there a fill made of the reference
     * image crossed by seed-coloured stripes, mixed over the input by {@code strength}. No caption:
     * every pixel outside the mask stays the input's. A mask or input the simulator cannot read gives
     * the placeholder; an unreadable reference leaves the stripes on the seed colour alone.
     */
    private BufferedImage inpaint(ImageSpec spec, Random rnd) {
        List<String> urls = spec.inputs();
        Optional<BufferedImage> image = urls.size() == 3 ? inputs.decode(urls.get(0)) : Optional.empty();
        Optional<BufferedImage> mask = urls.size() == 3 ? inputs.decode(urls.get(1)) : Optional.empty();
        if (image.isEmpty() || mask.isEmpty()) {
            return placeholder(spec, urls.isEmpty() ? null : image.isEmpty() ? urls.get(0) : urls.get(1));
        }
        int w = spec.width();
        int h = spec.height();
        BufferedImage out = stretched(image.get(), w, h);
        BufferedImage area = stretched(mask.get(), w, h);
        BufferedImage fill = inpaintFill(inputs.decode(urls.get(2)), w, h, Color.getHSBColor(rnd.nextFloat(), 0.85f, 0.9f));
        float strength = (float) Math.max(0, Math.min(1, spec.strength()));
        int[] row = new int[w];
        int[] maskRow = new int[w];
        int[] fillRow = new int[w];
        for (int y = 0; y < h; y++) {
            out.getRGB(0, y, w, 1, row, 0, w);
            area.getRGB(0, y, w, 1, maskRow, 0, w);
            fill.getRGB(0, y, w, 1, fillRow, 0, w);
            for (int x = 0; x < w; x++) {
                if (masked(maskRow[x])) {
                    row[x] = mix(row[x], fillRow[x], strength);
                }
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** White (light) mask pixels mark the area to repaint, as in fal's inpainting masks. */
    static boolean masked(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return r * 299 + g * 587 + b * 114 >= 128_000;
    }

    /** The reference covering the canvas (or the stripe colour alone), crossed by diagonal stripes of that colour. */
    private static BufferedImage inpaintFill(Optional<BufferedImage> reference, int w, int h, Color stripe) {
        BufferedImage fill = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(fill);
        try {
            g.setColor(stripe.darker());
            g.fillRect(0, 0, w, h);
            reference.ifPresent(r -> drawCover(g, r, 0, 0, w, h));
            // thin and sparse, so the reference stays what the area mostly shows
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setColor(stripe);
            int step = Math.max(8, Math.min(w, h) / 6);
            diagonals(g, w, h, step, Math.max(1f, step / 8f));
        } finally {
            g.dispose();
        }
        return fill;
    }

    /** {@code from} moved towards {@code to} by {@code amount} (0-1), per channel. */
    private static int mix(int from, int to, float amount) {
        int out = 0;
        for (int shift : new int[] {16, 8, 0}) {
            int a = (from >> shift) & 0xFF;
            int b = (to >> shift) & 0xFF;
            out |= Math.round(a + (b - a) * amount) << shift;
        }
        return out;
    }

    /** The source as RGB at exactly w x h: an unchanged pixel-for-pixel copy when the size already fits. */
    private static BufferedImage stretched(BufferedImage src, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.drawImage(src, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return img;
    }

    // --- edit and multi -----------------------------------------------------------------------

    /** The inputs side by side (one input: the whole canvas), hue-shifted, with the instruction on a band. */
    private BufferedImage edit(ImageSpec spec, List<Optional<BufferedImage>> sources) {
        int w = spec.width();
        int h = spec.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        try {
            int n = sources.size();
            for (int i = 0; i < n; i++) {
                int x0 = i * w / n;
                int x1 = (i + 1) * w / n;
                Optional<BufferedImage> src = sources.get(i);
                if (src.isPresent()) {
                    drawCover(g, src.get(), x0, 0, x1 - x0, h);
                } else {
                    drawStripes(g, x0, 0, x1 - x0, h);
                }
            }
        } finally {
            g.dispose();
        }
        shiftColours(img, hueShift(spec.seed(), spec.index()));
        g = graphics(img);
        try {
            drawBand(g, caption(spec), w, h);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The input could not be read (foreign URL, webp/avif, broken data): grey stripes that say so. */
    private BufferedImage placeholder(ImageSpec spec, String url) {
        int w = spec.width();
        int h = spec.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        try {
            drawStripes(g, 0, 0, w, h);
            int fontSize = Math.max(8, Math.min(w, h) / 24);
            String text = "The simulator could not read the input image"
                    + (url == null ? "" : ": " + InputImages.shorten(url));
            drawTextPanel(g, text, w, h * 3 / 4, fontSize);
            drawBand(g, caption(spec), w, h);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The band's text: what was asked, as "Edit: ..." or, for multi, "Combine: ...", and the LoRA weights used. */
    static String caption(ImageSpec spec) {
        return (spec.kind() == EndpointId.Kind.MULTI ? "Combine: " : "Edit: ") + spec.prompt() + loraNote(spec);
    }

    private static String loraNote(ImageSpec spec) {
        return spec.loras().isEmpty() ? "" : " - LoRA " + String.join(", ", spec.loras());
    }

    /** Hue rotation (as a fraction of the colour wheel) for an edit; differs per seed and image index. */
    static float hueShift(long seed, int index) {
        return 0.08f + Math.floorMod(seed * 31 + index * 7L, 17) / 100f;
    }

    /** The colour an edit turns one input pixel into. */
    static int shiftColour(int rgb, float hueShift) {
        float[] hsb = Color.RGBtoHSB((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, null);
        return Color.HSBtoRGB(hsb[0] + hueShift, hsb[1], hsb[2]) & 0xFFFFFF;
    }

    private static void shiftColours(BufferedImage img, float shift) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        float[] hsb = new float[3];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                Color.RGBtoHSB((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF, hsb);
                row[x] = Color.HSBtoRGB(hsb[0] + shift, hsb[1], hsb[2]);
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
    }

    /** Scales the source to cover the box (cropping the overflow), centred. */
    private static void drawCover(Graphics2D g, BufferedImage src, int x, int y, int w, int h) {
        double scale = Math.max((double) w / src.getWidth(), (double) h / src.getHeight());
        int sw = (int) Math.ceil(src.getWidth() * scale);
        int sh = (int) Math.ceil(src.getHeight() * scale);
        Graphics2D c = (Graphics2D) g.create(x, y, w, h);
        try {
            c.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            c.drawImage(src, (w - sw) / 2, (h - sh) / 2, sw, sh, null);
        } finally {
            c.dispose();
        }
    }

    private static void drawStripes(Graphics2D g, int x, int y, int w, int h) {
        Graphics2D c = (Graphics2D) g.create(x, y, w, h);
        try {
            c.setColor(PLACEHOLDER_GREY);
            c.fillRect(0, 0, w, h);
            c.setColor(new Color(0x9A9A9A));
            int step = Math.max(6, Math.min(w, h) / 12);
            diagonals(c, w, h, step, Math.max(1f, step / 3f));
        } finally {
            c.dispose();
        }
    }

    /** Parallel lines from bottom left to top right across a w x h box, {@code step} pixels apart, in the current colour. */
    private static void diagonals(Graphics2D g, int w, int h, int step, float width) {
        g.setStroke(new BasicStroke(width));
        for (int d = -h; d < w; d += step) {
            g.drawLine(d, h, d + h, 0);
        }
    }

    // --- text ---------------------------------------------------------------------------------

    private static void drawTextPanel(Graphics2D g, String text, int w, int h, int fontSize) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, fontSize);
        int maxWidth = (int) (w * 0.8);
        int lineHeight = (int) (fontSize * 1.3);
        int maxLines = Math.max(1, (int) (h * 0.6) / lineHeight);
        List<String> lines = wrap(g, font, text, maxWidth, maxLines);
        int panelH = lines.size() * lineHeight + fontSize;
        int panelY = (h - panelH) / 2;
        g.setColor(new Color(0, 0, 0, 140));
        g.fillRoundRect(w / 10 - fontSize / 2, panelY, maxWidth + fontSize, panelH, fontSize, fontSize);
        g.setColor(Color.WHITE);
        drawLines(g, font, lines, w / 10, panelY + fontSize / 2, lineHeight);
    }

    private static void drawBand(Graphics2D g, String text, int w, int h) {
        int fontSize = Math.max(8, Math.min(w, h) / 28);
        int lineHeight = (int) (fontSize * 1.3);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, fontSize);
        List<String> lines = wrap(g, font, text, w - 2 * fontSize, 2);
        int bandH = lines.size() * lineHeight + fontSize;
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(new Color(0, 0, 0, 165));
        g.fillRect(0, h - bandH, w, bandH);
        g.setColor(Color.WHITE);
        drawLines(g, font, lines, fontSize, h - bandH + fontSize / 2, lineHeight);
    }

    private static void drawFooter(Graphics2D g, ImageSpec spec, int w, int h, int fontSize) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
        String text = "FLUX.1 Kontext simulator - seed " + spec.seed() + " - image " + (spec.index() + 1) + "/"
                + spec.count() + loraNote(spec);
        g.setColor(new Color(255, 255, 255, 200));
        drawLines(g, font, wrap(g, font, text, w - fontSize, 1), fontSize / 2, h - (int) (fontSize * 1.6),
                (int) (fontSize * 1.3));
    }

    private static void drawLines(Graphics2D g, Font font, List<String> lines, int x, int top, int lineHeight) {
        if (!fontsBroken) {
            try {
                g.setFont(font);
                FontMetrics fm = g.getFontMetrics();
                for (int i = 0; i < lines.size(); i++) {
                    g.drawString(lines.get(i), x, top + i * lineHeight + fm.getAscent());
                }
                return;
            } catch (RuntimeException | InternalError | LinkageError e) {
                fontsBroken = true;
                LOG.log(System.Logger.Level.WARNING, "Text rendering failed (fonts missing?); drawing bars instead", e);
            }
        }
        // Without usable fonts, one bar per word keeps the layout visible.
        int size = font.getSize();
        for (int i = 0; i < lines.size(); i++) {
            int cx = x;
            for (String word : lines.get(i).split(" ")) {
                int ww = (int) (word.length() * size * 0.55);
                g.fillRect(cx, top + i * lineHeight + size / 4, ww, size * 3 / 4);
                cx += ww + size / 2;
            }
        }
    }

    /** Word-wraps the text; over-long words are broken; the last line gets "..." if text was cut. */
    static List<String> wrap(Graphics2D g, Font font, String text, int maxWidth, int maxLines) {
        Width width = widthFunction(g, font);
        Deque<String> words = new ArrayDeque<>(List.of(text.trim().split("\\s+")));
        List<String> lines = new ArrayList<>();
        String line = "";
        while (!words.isEmpty() && lines.size() < maxLines) {
            String word = words.poll();
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (width.of(candidate) <= maxWidth) {
                line = candidate;
            } else if (!line.isEmpty()) {
                lines.add(line);
                line = "";
                words.push(word);
            } else {
                int n = word.length() - 1;
                while (n > 1 && width.of(word.substring(0, n)) > maxWidth) {
                    n--;
                }
                n = Math.max(1, n);
                lines.add(word.substring(0, n));
                if (n < word.length()) {
                    words.push(word.substring(n));
                }
            }
        }
        boolean cut = !words.isEmpty() || (!line.isEmpty() && lines.size() >= maxLines);
        if (!line.isEmpty() && lines.size() < maxLines) {
            lines.add(line);
        }
        if (cut && !lines.isEmpty()) {
            int last = lines.size() - 1;
            String l = lines.get(last);
            while (l.length() > 1 && width.of(l + "...") > maxWidth) {
                l = l.substring(0, l.length() - 1);
            }
            lines.set(last, l + "...");
        }
        if (lines.isEmpty()) {
            lines.add("");
        }
        return lines;
    }

    private interface Width {
        int of(String s);
    }

    private static Width widthFunction(Graphics2D g, Font font) {
        if (!fontsBroken) {
            try {
                FontMetrics fm = g.getFontMetrics(font);
                return fm::stringWidth;
            } catch (RuntimeException | InternalError | LinkageError e) {
                fontsBroken = true;
                LOG.log(System.Logger.Level.WARNING, "Font metrics unavailable (fonts missing?)", e);
            }
        }
        return s -> (int) (s.length() * font.getSize() * 0.55);
    }

    // --- plumbing -----------------------------------------------------------------------------

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    static byte[] encode(BufferedImage img, ImageFormat format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName);
        if (!writers.hasNext()) {
            throw new IllegalStateException("No ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == ImageFormat.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.9f);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + format, e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** What only LoRA and inpaint images depend on (left out otherwise, so other images keep their bytes). */
    private static String familyExtras(ImageSpec spec) {
        String loras = spec.loras().isEmpty() ? "" : "\0" + String.join("\0", spec.loras());
        return spec.kind() == EndpointId.Kind.INPAINT ? loras + "\0" + spec.strength() : loras;
    }

    /** A stable 64-bit hash of everything the image depends on. */
    static long hash(ImageSpec spec) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            String key = spec.endpointId() + '\0' + spec.prompt() + '\0' + spec.seed() + '\0' + spec.index() + '\0'
                    + spec.width() + 'x' + spec.height() + '\0' + spec.format() + '\0' + String.join("\0", spec.inputs())
                    + familyExtras(spec);
            byte[] d = md.digest(key.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xFF);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
