using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshDashboard.BrowserTests;

/// <summary>
/// A page of another origin, open in the same real Chromium, tries to flip production traffic on the dashboard
/// running without sign-in (the default). Every way a page can send a write without the dashboard's consent is tried;
/// the blue/green switch must not happen.
/// </summary>
public sealed class DriveByBrowserTests : BrowserTestBase
{
    /// <summary>Serves the attacking page at http://localhost:&lt;port&gt;/ (another origin and another site than 127.0.0.1).</summary>
    private static async Task<(WebApplication Server, Uri Page)> StartAttackerAsync(string script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var attacker = builder.Build();
        attacker.MapGet("/", () => Results.Content($"<!doctype html><title>loading</title><script>{script}</script>", "text/html"));
        await attacker.StartAsync(TestContext.Current.CancellationToken);
        var port = new Uri(attacker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return (attacker, new Uri($"http://localhost:{port}/"));
    }

    private async Task<string> PublicHostSubsetAsync() =>
        (await Dashboard.Kubectl.RunAsync("get", "vs", "-n", "myapp", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.http[*].route[*].destination.subset};{end}")).EnsureSuccess().Output;

    [Fact]
    public async Task APageOfAnotherOrigin_CannotSwitchTraffic_WithAnyRequestItCanMake()
    {
        var before = await PublicHostSubsetAsync();
        var target = new Uri(Dashboard.BaseAddress, "api/services/myapp/myapp/switch");
        // Each attempt settles (opaque answer, network error or form target loaded) before the title says done.
        var script = $$"""
            (async () => {
              const url = '{{target}}';
              const body = '{"subset":"v1"}';
              const attempts = [
                () => fetch(url, { method: 'POST', mode: 'no-cors', body: new Blob([body]) }),
                () => fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body }),
                () => fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }),
                () => fetch(url, { method: 'POST', mode: 'cors', headers: { 'Content-Type': 'application/json' }, body }),
              ];
              for (const attempt of attempts) { try { await attempt(); } catch (e) { } }
              document.title = 'done';
            })();
            """;
        var (attacker, attackerPage) = await StartAttackerAsync(script);
        await using var _ = attacker;
        var page = await Browser.NewPageAsync();
        var dashboardRequests = new List<string>();
        page.Request += (_, request) => dashboardRequests.Add(request.Method + " " + request.Url);

        await page.GotoAsync(attackerPage.ToString());
        await page.WaitForFunctionAsync("document.title === 'done'");

        // The page really reached the dashboard (not blocked before sending), and nothing changed.
        Assert.Contains(dashboardRequests, r => r.StartsWith("POST " + target, StringComparison.Ordinal));
        Assert.Equal(before, await PublicHostSubsetAsync());
        using var client = Dashboard.CreateHttpClient();
        Assert.Equal("[]", await client.GetStringAsync(new Uri("/api/changes", UriKind.Relative), TestContext.Current.CancellationToken));
    }
}
