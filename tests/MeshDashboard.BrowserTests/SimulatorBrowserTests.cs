using MeshDashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>"Where does this request go?" in a real browser, on the demo mesh the sandbox serves.</summary>
public sealed class SimulatorBrowserTests : BrowserTestBase
{
    [Fact]
    public async Task SimulateTab_TesterHeaderGoesToV2WithTheAbort()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews?tab=simulate"));
        await Expect(page.GetByTestId("sim-destination")).ToHaveTextAsync("reviews.bookinfo · v1 — 100%");

        await page.GetByTestId("sim-header-name-0").FillAsync("end-user");
        await page.GetByTestId("sim-header-value-0").FillAsync("tester");

        await Expect(page.GetByTestId("sim-destination")).ToHaveTextAsync("reviews.bookinfo · v2 — 100%");
        await Expect(page.GetByTestId("sim-fault")).ToContainTextAsync("50% aborted with HTTP 503");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "docs", "screenshots", "service-simulator.png"), FullPage = true });
    }
}
