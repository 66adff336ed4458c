using System.Text.RegularExpressions;
using MeshDashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// The overview as a table a person scans, with the sandbox's simulated traffic: routing kinds as badges, live figures,
/// the gateway kept apart from the apps, and every control and row reachable with the keyboard alone.
/// </summary>
public sealed class OverviewTableBrowserTests() : BrowserTestBase(new Dictionary<string, string?>
{
    ["Metrics:RefreshInterval"] = "00:00:01",
    ["Sandbox:Traffic:RequestsPerSecond"] = "40",
})
{
    [Fact]
    public async Task Overview_ShowsRoutingKindsAndLiveFigures_AndKeepsTheGatewayApart()
    {
        // A 20% shadow copy to v3 beside the dark launch, and a v2 that fails a tenth of its requests.
        (await Dashboard.Kubectl.RunAsync("patch", "vs", "reviews", "-n", "bookinfo", "--type", "json", "-p",
            """[{"op":"add","path":"/spec/http/1/mirror","value":{"host":"reviews","subset":"v3"}},{"op":"add","path":"/spec/http/1/mirrorPercentage","value":{"value":20}}]""")).EnsureSuccess();
        (await Dashboard.Kubectl.RunAsync("annotate", "pods", "-n", "myapp", "-l", "app=myapp,version=v2",
            "traffic.sandbox.meshdashboard.io/error-rate=0.1")).EnsureSuccess();

        var page = await Browser.OpenAsync(Dashboard.BaseAddress);

        await Expect(page.GetByTestId("kind-myapp-myapp")).ToContainTextAsync("canary 25/75");
        await Expect(page.GetByTestId("kind-myapp-myapp")).ToContainTextAsync("blue/green");
        await Expect(page.GetByTestId("kind-bookinfo-reviews")).ToContainTextAsync("dark launch");
        await Expect(page.GetByTestId("kind-bookinfo-reviews")).ToContainTextAsync("mirror");
        await Expect(page.GetByTestId("kind-bookinfo-reviews")).ToContainTextAsync("fault");
        await Expect(page.GetByTestId("row-bookinfo-reviews").GetByTestId("subset-v3")).ToContainTextAsync("1/2");
        await Expect(page.GetByTestId("findings-myapp-myapp")).ToContainTextAsync("1");
        // Live figures: wait for the simulator's requests and myapp's failures to show rather than for a time.
        await Expect(page.GetByTestId("rps-myapp-myapp")).ToHaveTextAsync(new Regex(@"^[1-9][\d.]* rps$"), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("errors-myapp-myapp")).ToHaveTextAsync(new Regex(@"^[1-9][\d.]*% errors$"), new() { Timeout = 60_000 });

        // The ingress gateway is not listed as an app; the switch says one is left out and brings it in, marked.
        await Expect(page.GetByTestId("row-istio-system-istio-ingressgateway")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("show-infrastructure")).ToHaveAccessibleNameAsync("Gateways and system workloads (1)");
        await Expect(page.GetByTestId("service-count")).ToHaveTextAsync("5 of 6 services");

        // The table ends with its rows: no empty frame below them.
        var table = (await page.GetByTestId("services-table").BoundingBoxAsync())!;
        var lastRow = (await page.GetByTestId("row-myapp-myapp").BoundingBoxAsync())!;
        Assert.True(table.Y + table.Height - (lastRow.Y + lastRow.Height) < 8, $"the table ends {table.Y + table.Height - (lastRow.Y + lastRow.Height)}px below its last row");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "docs", "screenshots", "overview.png") });

        await page.GetByTestId("show-infrastructure").CheckAsync();
        await Expect(page.GetByTestId("role-istio-system-istio-ingressgateway")).ToHaveTextAsync("gateway");
        await Expect(page).ToHaveURLAsync(new Regex(@"[?&]all=true"));
    }

    [Fact]
    public async Task Overview_IsUsableWithTheKeyboardAlone()
    {
        var page = await Browser.OpenAsync(Dashboard.BaseAddress);
        await Expect(page.GetByTestId("row-bookinfo-reviews")).ToBeVisibleAsync();

        // The switch works with Space: the gateway comes in, and goes again.
        var gateways = page.GetByTestId("show-infrastructure");
        await gateways.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(page.GetByTestId("row-istio-system-istio-ingressgateway")).ToBeVisibleAsync();
        await Expect(gateways).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(page.GetByTestId("row-istio-system-istio-ingressgateway")).ToHaveCountAsync(0);

        // Type a search, then Tab on through the filters until a row's link has the focus, and open it with Enter.
        await page.Locator("input[data-testid='service-search'], [data-testid='service-search'] input").FocusAsync();
        await page.Keyboard.TypeAsync("revi");
        await Expect(page.GetByTestId("service-count")).ToHaveTextAsync("1 of 6 services");
        // Once typing rests, the address holds the search (a bookmark shows the same list); the box keeps what was typed.
        await Expect(page).ToHaveURLAsync(new Regex(@"\?q=revi$"));
        await Expect(page.Locator("input[data-testid='service-search'], [data-testid='service-search'] input")).ToHaveValueAsync("revi");
        var reached = new List<string>();
        for (var press = 0; press < 12 && !reached.Contains("service-bookinfo-reviews"); press++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>("() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? document.activeElement?.tagName"));
        }
        Assert.Contains("namespace-filter", reached);
        Assert.Contains("service-sort", reached);
        Assert.Contains("show-infrastructure", reached);
        Assert.Equal("service-bookinfo-reviews", reached[^1]);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/services/bookinfo/reviews$"));
    }
}
