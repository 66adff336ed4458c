using MeshDashboard.Authentication;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MeshDashboard.BrowserTests;

/// <summary>A viewer signed in through the browser sees everything and can change nothing.</summary>
public sealed class ViewerBrowserTests() : BrowserTestBase(new Dictionary<string, string?>
{
    ["Auth:Mode"] = "Local",
    ["Auth:Local:0:Name"] = "victor",
    ["Auth:Local:0:PasswordHash"] = PasswordHashing.Hash(Password),
    ["Auth:Local:0:Role"] = "Viewer",
})
{
    private const string Password = "viewer password for the browser test";

    [Fact]
    public async Task Viewer_SignsIn_SeesTheServiceReadOnly_AndTheClusterIsUnchanged()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(new Uri(Dashboard.BaseAddress, "services/myapp/myapp").ToString());
        await page.GetByLabel("User name").FillAsync("victor");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("[data-interactive='true']").WaitForAsync();

        await Expect(page.GetByTestId("user-name")).ToContainTextAsync("victor · Viewer");
        await Expect(page.GetByTestId("read-only-banner")).ToContainTextAsync("Viewer");
        await Expect(page.GetByTestId("rollback")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("weight-input-v1")).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Blue/green" }).ClickAsync();
        await Expect(page.GetByTestId("switch-to-v1")).ToBeDisabledAsync();

        var weights = (await Dashboard.Kubectl.RunAsync("get", "vs", "myapp", "-n", "myapp", "-o", "jsonpath={.spec.http[0].route[*].weight}")).EnsureSuccess().Output;
        Assert.Equal("25 75", weights);
    }
}
