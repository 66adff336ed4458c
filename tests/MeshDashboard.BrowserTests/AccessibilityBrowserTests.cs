using MeshDashboard.Authentication;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// A place in the dashboard that axe checks: the address to open and, when the place is not a page by itself (a dialog,
/// a tab's state), what to do there first. The page is checked once the step has shown what it waits for.
/// </summary>
public sealed record AxePlace(string Name, string Address, Func<IPage, Task>? Reach = null);

/// <summary>
/// Every page, tab and dialog, checked against WCAG 2 A and AA by axe-core in Chromium, in the light and the dark theme
/// (one test class each, so the two tours run side by side). A new page is one line in <see cref="Places"/>; each tour
/// visits them all and reports every violation at once.
/// </summary>
public abstract class AccessibilityTour : BrowserTestBase
{
    public static readonly IReadOnlyList<AxePlace> Places =
    [
        new("overview", "", page => Expect(page.GetByTestId("row-bookinfo-reviews")).ToBeVisibleAsync()),
        new("overview with gateways", "?all=true", page => Expect(page.GetByTestId("row-istio-system-istio-ingressgateway")).ToBeVisibleAsync()),
        .. ServiceTabs("myapp", "myapp", "split", "rules", "fault", "resilience", "circuit-breaker", "blue-green", "history", "simulate"),
        .. ServiceTabs("bookinfo", "reviews", "split", "rules", "fault"),
        new("service without routing", "services/bookinfo/ratings", page => Expect(page.GetByTestId("simulator").Or(page.GetByTestId("history"))).ToBeVisibleAsync()),
        new("preview dialog", "services/myapp/myapp?tab=split", OpenPreviewAsync),
        new("gateways", "gateways", page => Expect(page.GetByTestId("gateway-vs").First).ToBeVisibleAsync()),
        new("changes", "changes", page => Expect(page.GetByTestId("recent-changes")).ToBeVisibleAsync()),
        new("mesh map, bookinfo open", "map", OpenBookinfoOnTheMeshMapAsync),
    ];

    private static async Task OpenBookinfoOnTheMeshMapAsync(IPage page)
    {
        await page.GetByTestId("mesh-map").GetByTestId("map-node-ns:bookinfo").ClickAsync();
        await Expect(page.GetByTestId("mesh-map").GetByTestId("map-node-svc:bookinfo/reviews")).ToBeVisibleAsync();
    }

    private static IEnumerable<AxePlace> ServiceTabs(string ns, string name, params string[] tabs) =>
        tabs.Select(tab => new AxePlace($"{ns}/{name} {tab}", $"services/{ns}/{name}?tab={tab}", page => Expect(page.Locator(".mud-tab-active")).ToBeVisibleAsync()));

    private static async Task OpenPreviewAsync(IPage page)
    {
        await page.GetByTestId("route-all-to-v2").ClickAsync();
        await page.GetByTestId("apply-weights").ClickAsync();
        await Expect(page.GetByTestId("preview-verdict")).ToContainTextAsync("Dry run accepted");
    }

    protected async Task TourAsync(string theme)
    {
        var report = new List<string>();
        foreach (var place in Places)
        {
            var address = new Uri(Dashboard.BaseAddress, place.Address + (place.Address.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "theme=" + theme);
            var page = await Browser.OpenAsync(address);
            await Expect(page.Locator($"[data-theme='{theme}']")).ToHaveCountAsync(1);
            if (place.Reach is not null)
            {
                await place.Reach(page);
            }
            report.Add(await Accessibility.ViolationsAsync(page, $"{place.Name} ({theme})"));
            await page.CloseAsync();
        }
        Assert.True(report.All(r => r.Length == 0), "axe found WCAG 2 A/AA violations:\n" + string.Concat(report));
    }
}

public sealed class LightThemeAccessibilityBrowserTests : AccessibilityTour
{
    [Fact]
    public Task EveryPlace_MeetsWcag2AA_InTheLightTheme() => TourAsync("light");
}

public sealed class DarkThemeAccessibilityBrowserTests : AccessibilityTour
{
    [Fact]
    public Task EveryPlace_MeetsWcag2AA_InTheDarkTheme() => TourAsync("dark");
}

/// <summary>The sign-in page, which only a dashboard with sign-in shows, in both themes.</summary>
public sealed class SignInAccessibilityBrowserTests() : BrowserTestBase(new Dictionary<string, string?>
{
    ["Auth:Mode"] = "Local",
    ["Auth:Local:0:Name"] = "ada",
    ["Auth:Local:0:PasswordHash"] = PasswordHashing.Hash("a password for the accessibility test"),
    ["Auth:Local:0:Role"] = "Admin",
})
{
    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task SignIn_MeetsWcag2AA(ColorScheme scheme)
    {
        var page = await Browser.NewPageAsync(scheme);
        await page.GotoAsync(new Uri(Dashboard.BaseAddress, "signin").ToString());
        await Expect(page.GetByLabel("User name")).ToBeVisibleAsync();

        await Accessibility.AssertNoAxeViolations(page, $"sign-in ({scheme})");
    }
}
