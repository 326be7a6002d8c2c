package com.tekst.outlook.examples.wizard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's click-through in a real browser (Debian's Chromium, headless, through ChromeDriver): Integrations →
 * Connect → the fake tenant's consent page → Accept → Granted → search and add mailboxes → the restriction → Finish
 * with a backfill → the status page with backfill progress and live mail → diagnostics. Screenshots of every step go to
 * {@code target/screenshots}. Under {@code CI=true} a missing Chromium fails the test; elsewhere it is skipped.
 */
class WizardBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Path SHOTS = Path.of("target/screenshots");

    @TempDir
    Path data;
    WizardApp app;
    WebDriver browser;
    int shot;

    @BeforeEach
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if ("true".equals(System.getenv("CI"))) {
            assertThat(present).as("Chromium (" + CHROMIUM + ") and ChromeDriver (" + DRIVER + ") must be installed"
                    + " under CI: apt-get install -y chromium chromium-driver (.ci/run does)").isTrue();
        }
        Assumptions.assumeTrue(present, "no Chromium at " + CHROMIUM + " (set CHROMIUM_BINARY / CHROMEDRIVER)");
        app = new WizardApp(new WizardApp.Settings(0, data, null, null, null, null, Duration.ofSeconds(1)));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aPersonClicksThroughToConnectedWithBackfillAndLiveMail() throws Exception {
        browser.get(app.baseUrl().toString());
        screenshot("integrations");
        click(By.id("connect-integration"));
        assertThat(browser.findElement(By.id("type-PERSONAL")).getText()).contains("not available yet");
        screenshot("account-type");
        click(By.cssSelector("#connect-ORGANIZATION_WIDE button"));

        assertThat(browser.getTitle()).contains("Permissions requested");
        screenshot("consent-page");
        click(By.cssSelector("#consent-accept button"));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("granted and verified", "CONNECTED");
        screenshot("granted");
        click(By.id("choose-mailboxes"));

        search("");
        assertThat(browser.findElement(By.id("error")).getText()).contains("Type at least one character");
        search("s");
        screenshot("search");
        click(By.cssSelector("form[id='add-support@contoso.com'] button"));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("Added support@contoso.com (shared");
        search("room");
        click(By.cssSelector("form[id='add-room.berlin@contoso.com'] button"));
        search("a");
        navigate(browser.findElements(By.cssSelector("#results form[id^='add-'] button")).get(0));
        assertThat(browser.findElement(By.id("notice")).getText()).contains("user mailbox");
        assertThat(browser.findElements(By.cssSelector("#scope tr"))).hasSize(4);
        assertThat(browser.findElement(By.id("script")).getText()).contains("New-ApplicationAccessPolicy");
        click(By.cssSelector("#apply-in-fake button"));
        click(By.cssSelector("#verify-restriction button"));
        assertThat(browser.findElement(By.id("restriction-verdict")).getText()).contains("ENFORCED");
        screenshot("mailboxes-and-restriction");

        new Select(browser.findElement(By.id("backfill"))).selectByValue("all");
        click(By.cssSelector("#finish button"));
        // the status page reloads itself every 3 s: elements may go stale between two reads
        statusWait(Duration.ofSeconds(30)).until(b ->
                b.findElement(By.id("connection-status")).getText().equals("CONNECTED")
                        && !b.findElements(By.cssSelector("progress.backfill")).isEmpty());
        screenshot("status-backfilling");
        String firstCount = text(By.id("synced-count"));
        statusWait(Duration.ofSeconds(60)).until(b -> b.findElement(By.id("messages")).getText()
                .contains("@fabrikam.com") && b.findElements(By.cssSelector("progress.backfill")).stream()
                .allMatch(p -> p.getAttribute("value").equals(p.getAttribute("max"))));
        screenshot("status-live-mail");
        assertThat(text(By.id("synced-count"))).isNotEqualTo(firstCount);
        assertThat(text(By.id("mailboxes")).lines().count()).as("a header and three mailboxes").isEqualTo(4);

        for (int attempt = 1; attempt <= 3 && browser.findElements(By.id("report")).isEmpty(); attempt++) {
            try {
                browser.findElement(By.cssSelector("#run-diagnostics button")).click();
            } catch (StaleElementReferenceException reloadedUnderTheClick) {
                continue;
            }
            statusWait(Duration.ofSeconds(30)).until(b -> !b.findElements(By.id("report")).isEmpty());
        }
        assertThat(text(By.id("report"))).contains("Tenant reachable and known", "PASS");
        screenshot("diagnostics");
    }

    private WebDriverWait statusWait(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        // Chrome reports an element replaced by the page's reload between finding and reading it as an "unknown
        // error" (node does not belong to the document), not as a stale element: retry that too; a condition that
        // never holds still fails at the timeout, with the last exception as its cause
        wait.ignoring(org.openqa.selenium.WebDriverException.class);
        return wait;
    }

    /** An element's text, read again if the page reloaded under it. */
    private String text(By by) {
        for (int attempt = 1; ; attempt++) {
            try {
                return browser.findElement(by).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private void search(String q) {
        WebElement box = browser.findElement(By.id("q"));
        box.clear();
        box.sendKeys(q);
        click(By.cssSelector("#search button"));
    }

    /** Clicks a link or submit button and waits for the next page to replace this one. */
    private void click(By by) {
        navigate(browser.findElement(by));
    }

    private void navigate(WebElement element) {
        WebElement page = browser.findElement(By.tagName("html"));
        element.click();
        // the old page is gone once reading it fails: Selenium's stale element, or Chrome's "node does not belong to
        // the document" for a node it already dropped (an unknown error, which stalenessOf does not expect)
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> {
            try {
                page.isEnabled();
                return false;
            } catch (StaleElementReferenceException gone) {
                return true;
            } catch (org.openqa.selenium.WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                    return true;
                }
                throw e;
            }
        });
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> "complete".equals(
                ((org.openqa.selenium.JavascriptExecutor) b).executeScript("return document.readyState")));
    }

    private void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SHOTS.resolve(String.format("%02d-%s.png", ++shot, name)), png);
    }
}
