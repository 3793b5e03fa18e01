import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Decodes the image the Karaf smoke route wrote: {@code java ImageCheck.java <file>}. Exits 0 and prints
 * its size when ImageIO can read it, 1 otherwise.
 */
public class ImageCheck {
    public static void main(String[] args) throws Exception {
        File file = new File(args[0]);
        BufferedImage image = ImageIO.read(file);
        if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
            System.out.println("not a decodable image: " + file + " (" + file.length() + " bytes)");
            System.exit(1);
        }
        System.out.println("decoded " + file + ": " + image.getWidth() + "x" + image.getHeight() + ", " + file.length() + " bytes");
    }
}
