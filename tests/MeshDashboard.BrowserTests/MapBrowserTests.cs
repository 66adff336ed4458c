using System.Text.RegularExpressions;
using MeshDashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// The maps in a real browser: the routing map on the service page (rules reach their editor by mouse and by
/// keyboard, a kubectl patch moves a line live, a subset lists its pods), the preview's now/after maps, and the mesh
/// map with the sandbox's simulated calls. Each writes the README's screenshot of what it asserted.
/// </summary>
public sealed partial class MapBrowserTests() : BrowserTestBase(new Dictionary<string, string?>
{
    ["Metrics:RefreshInterval"] = "00:00:01",
    ["Sandbox:Traffic:RequestsPerSecond"] = "40",
})
{
    private const string DefaultRuleToV1 = "map-edge-rule:bookinfo/reviews/http/1->subset:v1";
    private const string DefaultRuleToV3 = "map-edge-rule:bookinfo/reviews/http/1->subset:v3";

    // The demo's "default" rule (http[1]) becomes a 80/20 canary between v1 and v3, with a 10% copy to v2.
    private const string CanaryWithMirror = """
        [{"op": "replace", "path": "/spec/http/1/route", "value": [
            {"destination": {"host": "reviews", "subset": "v1"}, "weight": 80},
            {"destination": {"host": "reviews", "subset": "v3"}, "weight": 20}]},
         {"op": "add", "path": "/spec/http/1/mirror", "value": {"host": "reviews", "subset": "v2"}},
         {"op": "add", "path": "/spec/http/1/mirrorPercentage", "value": {"value": 10}},
         {"op": "add", "path": "/spec/http/1/timeout", "value": "2s"}]
        """;

    /// <summary>A box's offset from the map's corner (the page above the map may grow; the map's own layout must not move).</summary>
    private static async Task<(double X, double Y)> PlaceInMapAsync(ILocator map, string testId)
    {
        var origin = (await map.BoundingBoxAsync())!;
        var box = (await map.GetByTestId(testId).BoundingBoxAsync())!;
        return (Math.Round(box.X - origin.X), Math.Round(box.Y - origin.Y));
    }

    private static ILocator Input(IPage page, string testId) => page.Locator($"input[data-testid='{testId}'], [data-testid='{testId}'] input");

    private static string Screenshot(string name) => Path.Combine(RepositoryPaths.Root, "docs", "screenshots", name);

    [Fact]
    public async Task RoutingMap_FollowsAKubectlPatchLive_WithSharesACopyAndABadge()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews"));
        var map = page.GetByTestId("routing-map");
        await Expect(map.GetByTestId(DefaultRuleToV1)).ToHaveAttributeAsync("data-percent", "100");
        await Expect(map.GetByTestId(DefaultRuleToV3)).ToHaveCountAsync(0);
        var v1Place = await PlaceInMapAsync(map, "map-node-subset:v1");

        (await Dashboard.Kubectl.RunAsync("patch", "vs", "reviews", "-n", "bookinfo", "--type=json", "-p", CanaryWithMirror)).EnsureSuccess();

        // The watch brings the change: the line to v1 thins to 80%, a 20% line to v3 appears, the copy to v2 is dashed.
        await Expect(map.GetByTestId(DefaultRuleToV1)).ToHaveAttributeAsync("data-percent", "80");
        await Expect(map.GetByTestId(DefaultRuleToV3)).ToHaveAttributeAsync("data-percent", "20");
        await Expect(map.GetByTestId("map-edge-rule:bookinfo/reviews/http/1~>subset:v2")).ToHaveClassAsync(new Regex("md-edge-mirror"));
        await Expect(map.GetByTestId("map-label-rule:bookinfo/reviews/http/1~>subset:v2")).ToHaveTextAsync("copy 10%");
        await Expect(map.GetByTestId("map-node-rule:bookinfo/reviews/http/1").GetByTestId("map-badge")).ToHaveTextAsync("timeout 2s");
        var width80 = double.Parse(await map.GetByTestId(DefaultRuleToV1).GetAttributeAsync("stroke-width") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var width20 = double.Parse(await map.GetByTestId(DefaultRuleToV3).GetAttributeAsync("stroke-width") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(width80 > 2 * width20, $"80% ({width80}) should be drawn much wider than 20% ({width20})");
        // Boxes stay where they were: only the lines changed.
        Assert.Equal(v1Place, await PlaceInMapAsync(map, "map-node-subset:v1"));

        // The words say the same for anyone who does not read the picture.
        var words = page.GetByTestId("routing-map-words");
        await Expect(words).ToContainTextAsync("when header end-user is tester → v2");
        await Expect(words).ToContainTextAsync("everyone else (the fallback) → 80% v1, 20% v3");
        await page.GetByTestId("routing-map-panel").ScreenshotAsync(new() { Path = Screenshot("routing-map.png") });
    }

    [Fact]
    public async Task RoutingMap_ARuleOpensItsEditorByMouseAndByKeyboard_AndASubsetListsItsPods()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews"));
        var map = page.GetByTestId("routing-map");

        await map.GetByTestId("map-node-rule:bookinfo/reviews/http/0").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"tab=rules"));
        await Expect(page.GetByTestId("routing-rules")).ToBeVisibleAsync();
        await Expect(Input(page, "rule-name-0")).ToHaveValueAsync("tester");

        // Back on the split tab, the keyboard alone reaches the same editor: focus the rule and press Enter.
        await page.GotoAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews?tab=split").ToString());
        await page.Locator("[data-interactive='true']").WaitForAsync();
        var fallback = page.GetByTestId("routing-map").GetByTestId("map-node-rule:bookinfo/reviews/http/1");
        await fallback.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"tab=rules"));
        await Expect(page.GetByTestId("routing-rules")).ToBeVisibleAsync();

        var v3 = page.GetByTestId("routing-map").GetByTestId("map-node-subset:v3");
        await v3.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var pods = page.GetByTestId("map-subset-pods");
        await Expect(pods).ToContainTextAsync("Pods of subset v3");
        await Expect(pods.GetByTestId("map-subset-pod")).ToHaveCountAsync(2);
        await Expect(pods).ToContainTextAsync("not ready");
    }

    [Fact]
    public async Task ThePreview_DrawsTheRoutingMapNowAndAfterTheChange()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "services/bookinfo/reviews"));
        await page.GetByTestId("route-all-to-v3").ClickAsync();
        await page.GetByTestId("apply-weights").ClickAsync();

        var before = page.GetByTestId("preview-map-before");
        var after = page.GetByTestId("preview-map-after");
        await Expect(before.GetByTestId(DefaultRuleToV1)).ToHaveAttributeAsync("data-percent", "100");
        await Expect(after.GetByTestId(DefaultRuleToV3)).ToHaveAttributeAsync("data-percent", "100");
        await Expect(after.GetByTestId(DefaultRuleToV1)).ToHaveCountAsync(0);
        await page.GetByTestId("preview-maps").ScreenshotAsync(new() { Path = Screenshot("preview-routing-maps.png") });
        await page.GetByTestId("preview-cancel").ClickAsync();
    }

    [Fact]
    public async Task MeshMap_OpensANamespaceWithTheKeyboard_AndDrawsWhoCallsWhomWithRates()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "map"), ColorScheme.Dark);
        var map = page.GetByTestId("mesh-map");
        var bookinfo = map.GetByTestId("map-node-ns:bookinfo");
        await Expect(bookinfo).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(map.GetByTestId("map-node-ns:myapp")).ToBeVisibleAsync();

        await bookinfo.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(map.GetByTestId("map-node-ns:bookinfo")).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(map.GetByTestId("map-node-svc:bookinfo/reviews")).ToBeVisibleAsync();

        // The sandbox's productpage calls reviews (its caller annotation); the line carries the measured rate.
        var call = map.GetByTestId("map-edge-svc:bookinfo/productpage->svc:bookinfo/reviews");
        await Expect(call).ToHaveAttributeAsync("data-rps", new Regex(@"^[1-9]"), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("mesh-map-words")).ToContainTextAsync("bookinfo/productpage calls bookinfo/reviews");
        await Expect(page.GetByTestId("mesh-map-legend")).ToContainTextAsync("5% errors or more");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("mesh-map.png"), FullPage = true });

        // Search narrows to what was searched for; a service box opens its page.
        await Input(page, "mesh-map-search").FillAsync("ratings");
        await Expect(map.GetByTestId("map-node-svc:bookinfo/reviews")).ToHaveCountAsync(0);
        await map.GetByTestId("map-node-svc:bookinfo/ratings").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("services/bookinfo/ratings$"));
    }
}
