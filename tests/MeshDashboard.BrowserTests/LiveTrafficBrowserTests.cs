using MeshDashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>Live figures in a real browser: the sandbox's simulated traffic on the service page, with a staged bad canary.</summary>
public sealed class LiveTrafficBrowserTests() : BrowserTestBase(new Dictionary<string, string?>
{
    ["Metrics:RefreshInterval"] = "00:00:01",
    ["Metrics:SeriesRange"] = "00:02:00",
    ["Metrics:SeriesStep"] = "00:00:05",
    ["Sandbox:Traffic:RequestsPerSecond"] = "40",
})
{
    [Fact]
    public async Task ServicePage_ShowsEachSubsetsLiveFigures_AndABadCanaryFails()
    {
        (await Dashboard.Kubectl.RunAsync(["apply", "-f", "-"], """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              hosts: [reviews]
              http:
              - name: canary
                route:
                - {destination: {host: reviews, subset: v1}, weight: 80}
                - {destination: {host: reviews, subset: v2}, weight: 20}
            """)).EnsureSuccess();
        (await Dashboard.Kubectl.RunAsync("annotate", "pods", "-n", "bookinfo", "-l", "app=reviews,version=v2",
            "traffic.sandbox.meshdashboard.io/error-rate=0.3", "traffic.sandbox.meshdashboard.io/latency-ms=120")).EnsureSuccess();

        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews"));

        // The figures follow the simulator: wait for the canary's failures to show rather than for a time.
        await Expect(page.GetByTestId("figures-success-v2")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(\d|[1-8]\d)(\.\d)?% ok$"), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("figures-success-v1")).ToHaveTextAsync("100% ok");
        await Expect(page.GetByTestId("figures-rps-v1")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[1-9][\d.]* rps$"));
        await Expect(page.GetByTestId("traffic-source")).ToContainTextAsync("simulated by the sandbox");
        await Expect(page.GetByTestId("traffic-chart-p99").Locator("svg")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "docs", "screenshots", "service-live-traffic.png"), FullPage = true });
    }
}
