using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshDashboard.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// The release manager's golden flows, driven in Chromium against the real app and its sandbox, each checked
/// afterwards in the cluster with kubectl.
/// </summary>
public sealed class GoldenFlowBrowserTests : BrowserTestBase
{
    private Task<IPage> OpenServiceAsync(string ns, string name) =>
        Browser.OpenAsync(new Uri(Dashboard.BaseAddress, $"services/{ns}/{name}"));

    private async Task<JsonNode> GetAsync(string kind, string ns, string name) =>
        JsonNode.Parse((await Dashboard.Kubectl.RunAsync("get", kind, name, "-n", ns, "-o", "json")).EnsureSuccess().Output)!;

    private async Task<string> WeightsAsync() =>
        (await Dashboard.Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[*].weight}")).EnsureSuccess().Output;

    /// <summary>Confirms the open preview dialog and waits until it has applied and closed.</summary>
    private static async Task ConfirmPreviewAsync(IPage page)
    {
        var dialog = page.GetByTestId("preview-dialog");
        await Expect(page.GetByTestId("preview-verdict")).ToContainTextAsync("Dry run accepted");
        await page.GetByTestId("preview-apply").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    private static async Task ChooseAsync(IPage page, string selectTestId, string optionText)
    {
        await page.GetByTestId(selectTestId).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = optionText }).First.ClickAsync();
    }

    [Fact]
    public async Task Canary_FromTwentyFiveToFifty_WithTheKeyboardOnTheSlider()
    {
        var page = await OpenServiceAsync("myapp", "myapp");
        var slider = page.GetByTestId("weight-slider-v1");

        await slider.FocusAsync();
        for (var step = 0; step < 25; step++)
        {
            await slider.PressAsync("ArrowRight");
        }
        await Expect(page.GetByTestId("weight-input-v2")).ToHaveValueAsync("50");
        await page.GetByTestId("apply-weights").ClickAsync();
        await Expect(page.GetByTestId("preview-dialog")).ToContainTextAsync("weight: 50");
        await ConfirmPreviewAsync(page);

        Assert.Equal("50 50", await WeightsAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", "service-traffic-split.png") });
    }

    [Fact]
    public async Task Rollback_RestoresThePreviousWeights()
    {
        var page = await OpenServiceAsync("myapp", "myapp");
        await page.GetByTestId("weight-input-v1").FillAsync("60");
        await page.GetByTestId("weight-input-v1").PressAsync("Tab");
        await Expect(page.GetByTestId("weight-input-v2")).ToHaveValueAsync("40");
        await page.GetByTestId("apply-weights").ClickAsync();
        await ConfirmPreviewAsync(page);
        Assert.Equal("60 40", await WeightsAsync());

        await page.GetByTestId("rollback").ClickAsync();
        await ConfirmPreviewAsync(page);

        Assert.Equal("25 75", await WeightsAsync());
    }

    [Fact]
    public async Task DarkLaunch_ForTesters_ThenA50Percent503Abort_OnThatRule()
    {
        var page = await OpenServiceAsync("myapp", "myapp");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Routing rules" }).ClickAsync();
        await page.GetByTestId("rule-add").ClickAsync();
        await page.GetByTestId("rule-name-0").FillAsync("tester");
        await page.GetByTestId("condition-name-0-0").FillAsync("end-user");
        await page.GetByTestId("condition-value-0-0").FillAsync("tester");
        await ChooseAsync(page, "rule-target-0", "v2");
        await page.GetByTestId("apply-rules").ClickAsync();
        // The new rule (added lines) sends testers to v2.
        await Expect(page.GetByTestId("preview-dialog")).ToContainTextAsync(new Regex(@"\+\s+subset: v2"));
        await ConfirmPreviewAsync(page);

        var rule = (await GetAsync("vs", "myapp", "myapp"))["spec"]!["http"]![0]!;
        Assert.Equal("tester", (string?)rule["name"]);
        Assert.Equal("tester", (string?)rule["match"]![0]!["headers"]!["end-user"]!["exact"]);
        Assert.Equal("v2", (string?)rule["route"]![0]!["destination"]!["subset"]);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Fault injection" }).ClickAsync();
        await ChooseAsync(page, "fault-rule", "tester");
        // The form has switched to the chosen rule once the "applies to everyone" warning of the catch-all is gone.
        await Expect(page.GetByTestId("fault-everyone")).ToHaveCountAsync(0);
        await page.GetByTestId("fault-abort-percent").FillAsync("50");
        await page.GetByTestId("fault-abort-status").FillAsync("503");
        await page.GetByTestId("apply-fault").ClickAsync();
        await Expect(page.GetByTestId("preview-dialog")).ToContainTextAsync("httpStatus: 503");
        await ConfirmPreviewAsync(page);

        var abort = (await GetAsync("vs", "myapp", "myapp"))["spec"]!["http"]![0]!["fault"]!["abort"]!;
        Assert.Equal(503, (int)abort["httpStatus"]!);
        Assert.Equal(50, (double)abort["percentage"]!["value"]!);
    }

    [Fact]
    public async Task OutlierDetection_OnV2()
    {
        var page = await OpenServiceAsync("myapp", "myapp");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Circuit breaker" }).ClickAsync();
        await ChooseAsync(page, "policy-scope", "subset v2 only");
        // v2's policy is loaded once its deprecated consecutiveErrors (7) shows in the form, with its meaning: gateway errors only.
        await Expect(page.GetByTestId("outlier-gateway")).ToHaveValueAsync("7");
        await Expect(page.GetByTestId("outlier-consecutive5xx")).ToHaveValueAsync("0");
        await page.GetByTestId("outlier-consecutive5xx").FillAsync("3");
        await Expect(page.GetByTestId("outlier-consecutive5xx")).ToHaveValueAsync("3");
        await page.GetByTestId("apply-policy").ClickAsync();
        await Expect(page.GetByTestId("preview-dialog")).ToContainTextAsync("consecutive5xxErrors: 3");
        await ConfirmPreviewAsync(page);

        var subset = (await GetAsync("dr", "myapp", "myapp"))["spec"]!["subsets"]!.AsArray().Single(s => (string?)s!["name"] == "v2")!;
        var outlier = subset["trafficPolicy"]!["outlierDetection"]!;
        Assert.Equal(3, (int)outlier["consecutive5xxErrors"]!);
        Assert.Null(outlier["consecutiveErrors"]);
    }

    [Fact]
    public async Task BlueGreen_SwitchAndSwitchBack()
    {
        var page = await OpenServiceAsync("myapp", "myapp");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Blue/green" }).ClickAsync();

        await page.GetByTestId("switch-to-v1").ClickAsync();
        await Expect(page.GetByTestId("preview-dialog")).ToContainTextAsync("myapp-public");
        await ConfirmPreviewAsync(page);
        Assert.Equal("v1", (string?)(await GetAsync("vs", "myapp", "myapp-public"))["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]);
        Assert.Equal("v2", (string?)(await GetAsync("vs", "myapp", "myapp-preview"))["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]);

        await page.GetByTestId("switch-to-v2").ClickAsync();
        await ConfirmPreviewAsync(page);
        Assert.Equal("v2", (string?)(await GetAsync("vs", "myapp", "myapp-public"))["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]);
        Assert.Equal("v1", (string?)(await GetAsync("vs", "myapp", "myapp-preview"))["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]);
    }

    [Fact]
    public async Task RoutingSetup_ForAServiceWithoutIt_ThenTheTrafficFormsAppear()
    {
        var page = await OpenServiceAsync("bookinfo", "ratings");

        await page.GetByTestId("routing-create").ClickAsync();
        await Expect(page.GetByTestId("preview-dialog")).ToContainTextAsync("kind: DestinationRule");
        await ConfirmPreviewAsync(page);

        await Expect(page.GetByTestId("weight-input-v1")).ToHaveValueAsync("100");
        var dr = await GetAsync("dr", "bookinfo", "ratings");
        Assert.Equal("v1", (string?)dr["spec"]!["subsets"]![0]!["labels"]!["version"]);
        Assert.Equal("v1", (string?)(await GetAsync("vs", "bookinfo", "ratings"))["spec"]!["http"]![0]!["route"]![0]!["destination"]!["subset"]);
    }

    [Fact]
    public async Task RecentChanges_ShowAChangeMadeThroughTheApiWithoutReload()
    {
        var page = await Browser.OpenAsync(new Uri(Dashboard.BaseAddress, "changes"));
        await Expect(page.GetByTestId("recent-changes")).ToContainTextAsync("No change has been made");

        using var http = Dashboard.CreateHttpClient();
        using var put = await http.PutAsync(new Uri("api/services/myapp/myapp/weights", UriKind.Relative),
            new StringContent("""{"weights": {"v1": 10, "v2": 90}}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        put.EnsureSuccessStatusCode();

        await Expect(page.GetByTestId("change-myapp-myapp-r000001")).ToContainTextAsync("v1 10%, v2 90%");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots", "changes.png") });
    }

    [Fact]
    public async Task ServicePage_ShowsAKubectlChangeWithoutReload()
    {
        var page = await OpenServiceAsync("myapp", "myapp");
        await Expect(page.GetByTestId("routing-summary").First).ToContainTextAsync("25% v1, 75% v2");

        (await Dashboard.Kubectl.RunAsync("patch", "vs", "myapp", "-n", "myapp", "--type", "json", "-p",
            """[{"op":"replace","path":"/spec/http/0/route/0/weight","value":70},{"op":"replace","path":"/spec/http/0/route/1/weight","value":30}]""")).EnsureSuccess();

        await Expect(page.GetByTestId("routing-summary").First).ToContainTextAsync("70% v1, 30% v2");
        // The forms keep what the person may be editing and say the service changed; Reload takes the new state.
        await Expect(page.GetByTestId("changed-since")).ToBeVisibleAsync();
        await page.GetByTestId("form-reload").ClickAsync();
        await Expect(page.GetByTestId("weight-input-v1")).ToHaveValueAsync("70");
    }
}
