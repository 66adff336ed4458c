using MeshDashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>Every main page renders its key content in a real browser (screenshots land in artifacts/screenshots).</summary>
public sealed class PageTourBrowserTests : BrowserTestBase
{
    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", name + ".png") });

    [Fact]
    public async Task ServicePageTabs_GatewaysAndDarkTheme_Render()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews"));
        await Expect(page.GetByTestId("routing-summary").First).ToContainTextAsync("end-user: tester → v2 (50% aborted with 503)");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Routing rules" }).ClickAsync();
        await Expect(page.GetByTestId("rule-name-0")).ToHaveValueAsync("tester");
        await ShotAsync(page, "service-routing-rules");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Fault injection" }).ClickAsync();
        await Expect(page.GetByTestId("fault-abort-status")).ToHaveValueAsync("503");
        await ShotAsync(page, "service-fault-injection");

        var myapp = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/myapp/myapp"));
        await myapp.GetByRole(AriaRole.Tab, new() { Name = "Circuit breaker" }).ClickAsync();
        await Expect(myapp.GetByTestId("circuit-breaker")).ToContainTextAsync("consecutive");
        await ShotAsync(myapp, "service-circuit-breaker");
        await myapp.GetByRole(AriaRole.Tab, new() { Name = "Blue/green" }).ClickAsync();
        await Expect(myapp.GetByTestId("blue-green-table")).ToContainTextAsync("myapp.example.com");
        await ShotAsync(myapp, "service-blue-green");

        var gateways = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "gateways"));
        await Expect(gateways.GetByTestId("gateway-vs").First).ToContainTextAsync("myapp");
        await ShotAsync(gateways, "gateways");

        var overview = await Browser.OpenAsync(Dashboard.BaseAddress);
        await Expect(overview.GetByTestId("routing-bookinfo-reviews")).ToBeVisibleAsync();
        const string background = "() => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()";
        var light = await overview.EvaluateAsync<string>(background);
        await overview.GetByLabel("Toggle theme").ClickAsync();
        await overview.WaitForFunctionAsync($"() => ({background})() !== '{light}'");
        await ShotAsync(overview, "overview-dark");
    }
}
