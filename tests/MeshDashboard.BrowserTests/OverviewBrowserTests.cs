using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

public sealed class OverviewBrowserTests : BrowserTestBase
{
    [Fact]
    public async Task Overview_ShowsEveryServiceWithItsSubsetsAndRouting()
    {
        var page = await Browser.OpenAsync(Dashboard.BaseAddress);

        await Expect(page.GetByTestId("routing-bookinfo-reviews")).ToContainTextAsync("end-user: tester → v2 (50% aborted with 503); everyone else → v1");
        await Expect(page.GetByTestId("row-bookinfo-reviews").GetByTestId("subset-v3")).ToContainTextAsync("1/2");
        await Expect(page.GetByTestId("routing-myapp-myapp")).ToContainTextAsync("25% v1, 75% v2");
        await Expect(page.GetByTestId("cluster-badge")).ToContainTextAsync("sandbox");
    }

    [Fact]
    public async Task Overview_ShowsAKubectlChangeWithoutReload()
    {
        var page = await Browser.OpenAsync(Dashboard.BaseAddress);
        var routing = page.GetByTestId("routing-myapp-myapp");
        await Expect(routing).ToContainTextAsync("25% v1, 75% v2");

        (await Dashboard.Kubectl.RunAsync("patch", "vs", "myapp", "-n", "myapp", "--type", "json", "-p",
            """[{"op":"replace","path":"/spec/http/0/route/0/weight","value":60},{"op":"replace","path":"/spec/http/0/route/1/weight","value":40}]""")).EnsureSuccess();

        await Expect(routing).ToContainTextAsync("60% v1, 40% v2");
    }
}
