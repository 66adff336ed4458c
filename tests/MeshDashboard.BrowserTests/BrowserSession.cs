using Microsoft.Playwright;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser). Pages wait for the Blazor circuit
/// to be interactive before a test clicks, since clicks on the prerendered page are lost.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("MESHDASHBOARD_CHROMIUM") ?? "/usr/bin/chromium";

    public static async Task<BrowserSession> StartAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath}: install Debian's package (apt-get install -y chromium) or set MESHDASHBOARD_CHROMIUM.");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ChromiumArgs,
        });
        return new BrowserSession(playwright, browser);
    }

    /// <param name="colorScheme">The system colour scheme the page reports (prefers-color-scheme); light when not given.</param>
    public Task<IPage> NewPageAsync(ColorScheme colorScheme = ColorScheme.Light) =>
        _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, ColorScheme = colorScheme });

    public async Task<IPage> OpenAsync(Uri address, ColorScheme colorScheme = ColorScheme.Light)
    {
        var page = await NewPageAsync(colorScheme);
        await page.GotoAsync(address.ToString());
        await page.Locator("[data-interactive='true']").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
