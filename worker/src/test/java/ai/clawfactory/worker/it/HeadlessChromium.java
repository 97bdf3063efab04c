package ai.clawfactory.worker.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's {@code chromium}, headless, driven through Debian's {@code chromedriver}. Both paths are
 * given to Selenium explicitly, so Selenium Manager never looks for (or downloads) a browser or a
 * driver. The browser resolves no host name but loopback addresses and uses no proxy.
 * Override the paths with {@code -Dchromium.binary=…} and {@code -Dchromedriver.binary=…}.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeadlessChromium.class);
    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /**
     * Starts the browser; fails the test (never skips it) when chromium or chromedriver is missing.
     * chromedriver's log goes to {@code logDir/<logName>-chromedriver.log}.
     */
    static HeadlessChromium start(Path logDir, String logName) throws IOException {
        for (Path binary : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                fail(binary + " is missing: the Web UI test drives Debian's chromium through Debian's chromedriver. "
                        + "Install them with `apt-get install chromium chromium-driver` (./clawfactory test does this "
                        + "when run as root), or point -Dchromium.binary / -Dchromedriver.binary at them.");
            }
        }
        Files.createDirectories(logDir);
        Path profile = Files.createTempDirectory("clawfactory-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--no-first-run",
                        "--no-default-browser-check",
                        "--no-proxy-server",
                        // Loopback only: every other host name fails to resolve (the UI's news feed, fonts, …).
                        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                        "--window-size=1400,1000",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logDir.resolve(logName + "-chromedriver.log").toFile())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return new HeadlessChromium(profile, service, driver);
        } catch (RuntimeException e) {
            service.stop();
            deleteQuietly(profile);
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits up to {@code timeout} for the condition; the failure names what was awaited. */
    <T> T await(Duration timeout, String what, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                .withMessage(what)
                .until(condition);
    }

    /** The element with this {@code data-testid}, once it is visible. */
    WebElement visibleTestId(String testId, Duration timeout) {
        By by = byTestId(testId);
        return await(
                timeout,
                "element [data-testid=" + testId + "] visible",
                d -> d.findElements(by).stream()
                        .filter(WebElement::isDisplayed)
                        .findFirst()
                        .orElse(null));
    }

    static By byTestId(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    /** Saves a screenshot and the page source as {@code dir/name.png} and {@code dir/name.html}; logs where. */
    void saveState(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path png = dir.resolve(name + ".png");
            Path html = dir.resolve(name + ".html");
            Files.write(png, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            Files.writeString(
                    html, "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource(), StandardCharsets.UTF_8);
            LOG.error("Browser state at failure saved: {} and {}", png.toAbsolutePath(), html.toAbsolutePath());
        } catch (RuntimeException | IOException e) {
            LOG.error("Could not save the browser state to {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
