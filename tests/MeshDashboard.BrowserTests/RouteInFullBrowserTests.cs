using MeshDashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// The whole route on the page: the issue's own example (a rule with a 20% mirror to v3, a 500ms timeout and 3
/// retries), applied with kubectl as someone outside the dashboard would, then read off the service page.
/// </summary>
public sealed class RouteInFullBrowserTests : BrowserTestBase
{
    // JSON patch of the demo's reviews VirtualService: its "default" rule (http[1]) gets a mirror, a timeout and retries.
    private const string MirrorTimeoutRetries = """
        [{"op": "add", "path": "/spec/http/1/mirror", "value": {"host": "reviews", "subset": "v3"}},
         {"op": "add", "path": "/spec/http/1/mirrorPercentage", "value": {"value": 20}},
         {"op": "add", "path": "/spec/http/1/timeout", "value": "500ms"},
         {"op": "add", "path": "/spec/http/1/retries", "value": {"attempts": 3, "perTryTimeout": "150ms", "retryOn": "5xx,reset"}}]
        """;

    [Fact]
    public async Task ARuleWithMirrorTimeoutAndRetries_ReadsInFull_AndTheMirrorIsACopyNotAShare()
    {
        (await Dashboard.Kubectl.RunAsync("patch", "vs", "reviews", "-n", "bookinfo", "--type=json", "-p", MirrorTimeoutRetries)).EnsureSuccess();

        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews"));

        var summary = page.GetByTestId("routing-summary");
        await Expect(summary.Filter(new() { HasText = "copy of 20% to v3" })).ToHaveCountAsync(1);
        await Expect(summary.Filter(new() { HasText = "timeout 500ms" })).ToHaveCountAsync(1);
        await Expect(summary.Filter(new() { HasText = "150ms" })).ToHaveCountAsync(1);
        // v3 only gets copies: the split still gives it no share of the answered traffic.
        await Expect(page.GetByTestId("mirror-v3")).ToContainTextAsync("copy of 20%");
        await Expect(page.GetByTestId("weight-input-v3")).ToHaveValueAsync("0");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "docs", "screenshots", "service-route-in-full.png"), FullPage = true });
    }

    [Fact]
    public async Task ThePreview_SaysWhereARequestGoesNowAndAfterTheChange()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews"));
        await page.GetByTestId("route-all-to-v3").ClickAsync();
        await page.GetByTestId("apply-weights").ClickAsync();

        // It opens on the request the demo's rule names (end-user: tester), whose route this change leaves alone.
        await Expect(page.GetByTestId("preview-sim-sentence")).ToContainTextAsync("does not change this request: it goes to v2 100%");
        await page.GetByTestId("preview-sim-header-value").FillAsync("jason");

        await Expect(page.GetByTestId("preview-sim-sentence")).ToHaveTextAsync("After this change this request goes to v3 100%; now it goes to v1 100%.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "docs", "screenshots", "preview-simulation.png"), FullPage = true });
        var weights = (await Dashboard.Kubectl.RunAsync("get", "vs", "reviews", "-n", "bookinfo", "-o", "jsonpath={.spec.http[1].route[*].destination.subset}")).EnsureSuccess().Output;
        Assert.Equal("v1", weights.Trim());
    }
}
