using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>Rough edges a first-time user met in the browser: theme memory, tabs, the snackbar, truncated labels.</summary>
public sealed class FirstRunBrowserTests : BrowserTestBase
{
    private Uri At(string path) => new(Dashboard.BaseAddress, path);

    /// <summary>The theme the server rendered, read from the HTML it sent (before any script ran): what the person sees first.</summary>
    private static async Task<string?> PrerenderedThemeAsync(IResponse? response)
    {
        var html = await response!.TextAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, "data-theme=\"(?<theme>[a-z]+)\"");
        return match.Success ? match.Groups["theme"].Value : null;
    }

    [Fact]
    public async Task Theme_FollowsTheSystem_ThenRemembersTheChoice_AndTheAddressNamesIt()
    {
        // A dark system: the first visit turns dark, and from then on the server renders dark from the start.
        var page = await Browser.OpenAsync(Dashboard.BaseAddress, ColorScheme.Dark);
        await Expect(page.Locator("[data-theme='dark']")).ToHaveCountAsync(1);
        Assert.Equal("dark", await PrerenderedThemeAsync(await page.ReloadAsync()));

        // The person picks light: the address says so, and a later visit without ?theme= stays light.
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await page.GetByLabel("Toggle theme").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"[?&]theme=light"));
        Assert.Equal("light", await PrerenderedThemeAsync(await page.GotoAsync(Dashboard.BaseAddress.ToString())));

        // An address with ?theme=dark opens dark in a browser that has never been here.
        var shared = await Browser.NewPageAsync();
        Assert.Equal("dark", await PrerenderedThemeAsync(await shared.GotoAsync(At("?theme=dark").ToString())));
    }

    [Fact]
    public async Task ServicePage_TabsAreOfOneWidth_AndSwitchingPutsTheTabInTheAddress()
    {
        var page = await Browser.OpenAsync(At("services/myapp/myapp"));

        var widths = await page.Locator(".mud-tab").EvaluateAllAsync<double[]>("tabs => tabs.map(t => t.getBoundingClientRect().width)");
        Assert.True(widths.Length >= 8, $"{widths.Length} tabs");
        Assert.True(widths.Max() - widths.Min() < 1.5, string.Join(", ", widths));

        await page.GetByRole(AriaRole.Tab, new() { Name = "Circuit breaker" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?tab=circuit-breaker$"));

        // Plain-word labels fit their fields: none is cut off with an ellipsis.
        var cut = await page.GetByTestId("circuit-breaker").Locator("label").EvaluateAllAsync<string[]>(
            "labels => labels.filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.textContent)");
        Assert.Empty(cut);

        await page.ReloadAsync();
        await page.Locator("[data-interactive='true']").WaitForAsync();
        await Expect(page.Locator(".mud-tab-active")).ToHaveTextAsync("Circuit breaker");
    }

    [Fact]
    public async Task Rollback_IsOffUntilAChangeIsMadeHere_AndTheSuccessMessageLeavesItClickable()
    {
        var page = await Browser.OpenAsync(At("services/myapp/myapp"));
        await Expect(page.GetByTestId("rollback")).ToBeDisabledAsync();

        await page.GetByTestId("weight-input-v1").FillAsync("60");
        await page.GetByTestId("weight-input-v1").PressAsync("Tab");
        await Expect(page.GetByTestId("weight-input-v2")).ToHaveValueAsync("40");
        await page.GetByTestId("apply-weights").ClickAsync();
        await Expect(page.GetByTestId("preview-verdict")).ToContainTextAsync("Dry run accepted");
        await page.GetByTestId("preview-apply").ClickAsync();
        await Expect(page.GetByTestId("preview-dialog")).ToHaveCountAsync(0);

        var snackbar = page.Locator(".mud-snackbar").First;
        await Expect(snackbar).ToBeVisibleAsync();
        var message = (await snackbar.BoundingBoxAsync())!;
        var rollback = page.GetByTestId("rollback");
        await Expect(rollback).ToBeEnabledAsync();
        var button = (await rollback.BoundingBoxAsync())!;
        var overlaps = message.X < button.X + button.Width && button.X < message.X + message.Width
            && message.Y < button.Y + button.Height && button.Y < message.Y + message.Height;
        Assert.False(overlaps, $"the snackbar ({message.X},{message.Y} {message.Width}x{message.Height}) covers Rollback ({button.X},{button.Y})");
        // Trial click: Playwright checks that nothing else would receive it.
        await rollback.ClickAsync(new LocatorClickOptions { Trial = true, Timeout = 5_000 });
    }
}
